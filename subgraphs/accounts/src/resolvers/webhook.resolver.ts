import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import {
  AFTER_DESCRIPTION,
  ConnectionType,
  decodeCursor,
  FIRST_DESCRIPTION,
  pageSize,
  queryBuilderProbes,
  toConnection,
  type Connection,
} from '../../../../shared/graphql/pagination';
import type { AccountsContext } from '../context';
import { syncSettingsFor } from '../sync/sync-settings';
import { WebhookAttempt, WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { Webhook } from '../webhooks/webhook.entity';
import { DeliveryStatus, WebhookStatus } from '../webhooks/webhook.enums';
import { webhookLoaders } from '../webhooks/webhook.loaders';
import { standardWebhooksSecret } from '../webhooks/signature';
import { createWebhook, deleteWebhook, redeliver, setWebhookStatus, visibleWebhook } from '../webhooks/webhook.service';

export const WebhookConnection = ConnectionType(Webhook, 'Webhook');
export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, 'WebhookDelivery');

@ObjectType({ description: 'A new webhook and its signing secret: store the secret now, it is never shown again.' })
export class CreateWebhookPayload {
  @Field(() => Webhook, { description: 'The new webhook, ACTIVE.' })
  webhook!: Webhook;

  @Field({ description: 'HMAC-SHA256 key for the x-hub-signature header.' })
  secret!: string;

  @Field({
    description:
      'The same secret in the Standard Webhooks form, for the webhook-signature header: pass it to a Standard Webhooks library (`new Webhook(secret).verify(body, headers)`).',
  })
  standardWebhooksSecret!: string;
}

@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => WebhookConnection, { description: 'Your webhooks (internal teams: all), oldest first.' })
  async webhooks(
    @Ctx() ctx: AccountsContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<Webhook>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    const qb = ctx.db.getRepository(Webhook).createQueryBuilder('w');
    if (!isInternal(ctx.identity)) qb.andWhere('w.partner_id = :partner', { partner: ctx.identity.partnerId });
    const filtered = qb.clone();
    const at = cursor && { at: cursor[0], id: cursor[1] };
    if (at) qb.andWhere('(w.created_at, w.id) > (:at::timestamptz, :id::uuid)', at);
    const rows = await qb
      .orderBy('w.created_at', 'ASC')
      .addOrderBy('w.id', 'ASC')
      .take(limit + 1)
      .getMany();
    const before = at && { where: '(w.created_at, w.id) <= (:at::timestamptz, :id::uuid)', params: at };
    return toConnection(rows, limit, (w) => [w.createdAt.toISOString(), w.id], queryBuilderProbes(ctx.db, filtered, before));
  }

  @Query(() => Webhook, {
    nullable: true,
    description: 'One of your webhooks (internal teams: any). null with a NOT_FOUND error when it does not exist or belongs to another partner.',
  })
  webhook(@Arg('id', () => ID, { description: 'The webhook’s id.' }) id: string, @Ctx() ctx: AccountsContext): Promise<Webhook> {
    return visibleWebhook(ctx.db, ctx.identity, id);
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'The delivery log, newest first.' })
  async deliveries(
    @Root() webhook: Webhook,
    @Ctx() ctx: AccountsContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
    @Arg('status', () => DeliveryStatus, { nullable: true, description: 'Only deliveries in this status. Default: all.' }) status?: DeliveryStatus,
  ): Promise<Connection<WebhookDelivery>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 1);
    const loaders = webhookLoaders(ctx);
    const beforeSeq = cursor ? String(cursor[0]) : undefined;
    const rows = await loaders.deliveryPage.load({ webhookId: webhook.id, limit: limit + 1, beforeSeq, status });
    return toConnection(rows, limit, (d) => [d.seq], {
      count: () => loaders.deliveryCount.load({ webhookId: webhook.id, status }),
      before: beforeSeq === undefined ? undefined : () => loaders.deliveriesBefore.load({ webhookId: webhook.id, status, beforeSeq }),
    });
  }

  @Mutation(() => CreateWebhookPayload, {
    description: 'Subscribes a URL to event types ("*" for all). Without a secret one is generated; either way it is returned only here.',
  })
  async createWebhook(
    @Arg('url', {
      description:
        'Where to POST deliveries: an http(s) URL on a public address (private and loopback addresses are refused unless the deployment allows them). At most 25 webhooks per partner.',
    })
    url: string,
    @Arg('events', () => [String], {
      description:
        'Event types to deliver (at most 50), e.g. ["HandoffProposed", "CustomerUpdated"], or ["*"] for all; an unknown type is BAD_USER_INPUT listing the known ones.',
    })
    events: string[],
    @Ctx() ctx: AccountsContext,
    @Arg('secret', () => String, { nullable: true, description: 'Your own signing secret, 24–200 characters; omit it and the hub generates one.' })
    secret?: string,
  ): Promise<CreateWebhookPayload> {
    const created = await createWebhook(ctx.db, ctx.identity, syncSettingsFor(ctx.db).webhooks, { url, events, secret });
    return { ...created, standardWebhooksSecret: standardWebhooksSecret(created.secret) };
  }

  @Mutation(() => Webhook, { description: 'Stops sending; events keep queuing and go out, in order, on resume.' })
  pauseWebhook(
    @Arg('id', () => ID, { description: 'The webhook to pause. Another partner’s webhook is NOT_FOUND.' }) id: string,
    @Ctx() ctx: AccountsContext,
  ): Promise<Webhook> {
    return setWebhookStatus(ctx.db, ctx.identity, id, WebhookStatus.PAUSED);
  }

  @Mutation(() => Webhook, { description: 'Re-activates a paused or auto-disabled webhook and retries what is pending at once.' })
  resumeWebhook(
    @Arg('id', () => ID, { description: 'The webhook to resume. Another partner’s webhook is NOT_FOUND.' }) id: string,
    @Ctx() ctx: AccountsContext,
  ): Promise<Webhook> {
    return setWebhookStatus(ctx.db, ctx.identity, id, WebhookStatus.ACTIVE);
  }

  @Mutation(() => ID, { description: 'Deletes the webhook and its delivery log; returns its id.' })
  deleteWebhook(
    @Arg('id', () => ID, { description: 'The webhook to delete. Another partner’s webhook is NOT_FOUND.' }) id: string,
    @Ctx() ctx: AccountsContext,
  ): Promise<string> {
    return deleteWebhook(ctx.db, ctx.identity, id);
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends a delivery again, whatever its status.' })
  redeliver(
    @Arg('deliveryId', () => ID, { description: 'The delivery to send again (see Webhook.deliveries). One of another partner’s webhooks is NOT_FOUND.' })
    deliveryId: string,
    @Ctx() ctx: AccountsContext,
  ): Promise<WebhookDelivery> {
    return redeliver(ctx.db, ctx.identity, deliveryId);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => [WebhookAttempt], { description: 'Every attempt, oldest first.' })
  attemptLog(@Root() delivery: WebhookDelivery, @Ctx() ctx: AccountsContext): Promise<WebhookAttempt[]> {
    return webhookLoaders(ctx).attempts.load(delivery.id);
  }
}
