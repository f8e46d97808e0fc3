import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { AFTER_DESCRIPTION, ConnectionType, FIRST_DESCRIPTION, type Connection } from '../../../../shared/graphql/pagination';
import type { AccountsContext } from '../context';
import { syncSettingsFor } from '../sync/sync-settings';
import { addChannel, listChannels, listNotifications, listPreferences, removeChannel, setPreference } from '../notifications/notification.service';
import { Notification, NotificationChannel, NotificationPreference } from '../notifications/notification.types';
import { AddNotificationChannelInput, NotificationFilter, SetNotificationPreferenceInput } from './notification.inputs';

export const NotificationConnection = ConnectionType(Notification, 'Notification');

const ADMINS = 'its partner’s admins (apikeys:manage; a person-bound key only for an ADMIN) or an internal team with the admin scope';

/** Notifications by e-mail, Slack and Teams (docs/notifications.md). */
@Resolver()
export class NotificationResolver {
  @Query(() => [NotificationPreference], {
    description: `Every notifiable event type with what applies (your choice, else the default). No argument: your own (a person-bound credential). A person’s: the person or ${ADMINS}; a channel’s or a whole partner’s: ${ADMINS}, or any internal team to read. Another partner’s person or channel is NOT_FOUND.`,
  })
  notificationPreferences(
    @Ctx() ctx: AccountsContext,
    @Arg('personId', () => ID, { nullable: true, description: 'One person’s e-mail preferences.' }) personId?: string,
    @Arg('channelId', () => ID, { nullable: true, description: 'One team channel’s preferences.' }) channelId?: string,
    @Arg('partnerId', () => ID, { nullable: true, description: 'Every ACTIVE person’s and every channel’s of a partner.' }) partnerId?: string,
  ): Promise<NotificationPreference[]> {
    return listPreferences(ctx.db, ctx.identity, { personId, channelId, partnerId });
  }

  @Mutation(() => NotificationPreference, {
    description: `Sets whether a person (by e-mail) or a channel gets one event type, at once or in the daily digest. Your own, or as ${ADMINS}. BAD_USER_INPUT for a type that is not notifiable; NOT_FOUND for another partner’s person or channel.`,
  })
  setNotificationPreference(
    @Arg('input', () => SetNotificationPreferenceInput, { description: 'The preference.' }) input: SetNotificationPreferenceInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<NotificationPreference> {
    return setPreference(ctx.db, ctx.identity, input);
  }

  @Query(() => [NotificationChannel], {
    description: `A partner’s Slack and Teams channels, oldest first: ${ADMINS}, or any internal team. FORBIDDEN otherwise.`,
  })
  notificationChannels(
    @Ctx() ctx: AccountsContext,
    @Arg('partnerId', () => ID, { nullable: true, description: 'Whose channels; default: the caller’s partner.' }) partnerId?: string,
  ): Promise<NotificationChannel[]> {
    return listChannels(ctx.db, ctx.identity, partnerId);
  }

  @Mutation(() => NotificationChannel, {
    description: `Adds a Slack or Teams incoming webhook for a partner team (at most 25 per partner); it gets the catalog’s chat defaults until its preferences say otherwise. ${ADMINS}. BAD_USER_INPUT for EMAIL, an empty label or a URL webhooks would refuse.`,
  })
  addNotificationChannel(
    @Arg('input', () => AddNotificationChannelInput, { description: 'The channel.' }) input: AddNotificationChannelInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<NotificationChannel> {
    return addChannel(ctx.db, ctx.identity, syncSettingsFor(ctx.db).webhooks, input);
  }

  @Mutation(() => ID, {
    description: `Removes a channel and its preferences (its log stays); returns its id. ${ADMINS}. Another partner’s channel is NOT_FOUND.`,
  })
  removeNotificationChannel(@Arg('id', () => ID, { description: 'The channel to remove.' }) id: string, @Ctx() ctx: AccountsContext): Promise<string> {
    return removeChannel(ctx.db, ctx.identity, id);
  }

  @Query(() => NotificationConnection, {
    description:
      'The notification log, newest first: channel, event, recipient, status, attempts, last error, sent at. Internal teams see every partner’s; a partner’s admins their partner’s; a person-bound key the notifications sent to that person. FORBIDDEN otherwise.',
  })
  notifications(
    @Ctx() ctx: AccountsContext,
    @Arg('filter', () => NotificationFilter, { nullable: true, description: 'Only notifications matching every field given.' }) filter?: NotificationFilter,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<Notification>> {
    return listNotifications(ctx.db, ctx.identity, { ...filter, first, after });
  }
}
