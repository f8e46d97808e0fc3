import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { NotificationChannelKind, NotificationStatus } from '../notifications/notification.enums';

@InputType({
  description: 'One preference: a person’s (e-mail) or a channel’s, for one notifiable event type. Give personId or channelId, or neither for your own.',
})
export class SetNotificationPreferenceInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The person; default: the person the credential is bound to. Another person needs their partner’s admins or an internal team.',
  })
  @IsOptional()
  personId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A team channel (SLACK, TEAMS) instead of a person; its partner’s admins or an internal team.' })
  @IsOptional()
  channelId?: string | null;

  @Field({ description: 'A notifiable event type (see notificationPreferences); another type is BAD_USER_INPUT listing the known ones.' })
  @MaxLength(100)
  eventType!: string;

  @Field({ description: 'Whether to be notified of it at all.' })
  enabled!: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Hold it for one daily digest instead of sending it at once. Default: false.' })
  @IsOptional()
  digest?: boolean | null;
}

@InputType({ description: 'A new Slack or Teams incoming webhook for a partner team.' })
export class AddNotificationChannelInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Whose channel; default: the caller’s partner. Another partner’s needs an internal team with the admin scope.',
  })
  @IsOptional()
  partnerId?: string | null;

  @Field(() => NotificationChannelKind, { description: 'SLACK or TEAMS (EMAIL is every person’s own address and needs no channel: BAD_USER_INPUT).' })
  kind!: NotificationChannelKind;

  @Field({ description: 'Your name for it, 1–100 characters, e.g. "#onboarding".' })
  @MaxLength(100)
  label!: string;

  @Field({
    description:
      'The incoming-webhook URL: http(s) on a public address (private and loopback addresses are refused, as for webhooks). It is kept secret: only its host and last 4 characters are shown.',
  })
  @MaxLength(2000)
  url!: string;
}

@InputType({ description: 'Which notifications to list; leave a field out not to filter on it.' })
export class NotificationFilter {
  @Field(() => ID, { nullable: true, description: 'Only this partner’s (internal teams; a partner always sees only its own).' })
  @IsOptional()
  partnerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only those e-mailed to this person.' })
  @IsOptional()
  personId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only those posted to this channel.' })
  @IsOptional()
  channelId?: string | null;

  @Field(() => NotificationStatus, { nullable: true, description: 'Only those in this status.' })
  @IsOptional()
  status?: NotificationStatus | null;

  @Field(() => String, { nullable: true, description: 'Only those of this event type (or DailyDigest).' })
  @IsOptional()
  @MaxLength(100)
  eventType?: string | null;
}
