import { ArrayMaxSize, IsOptional, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
}
registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: 'Whether an API key still authenticates.',
  valuesConfig: {
    ACTIVE: { description: 'Authenticates requests.' },
    REVOKED: { description: 'Revoked or replaced by a rotation: every request with it is UNAUTHENTICATED.' },
  },
});

@ObjectType('ApiKey', { description: 'An API credential. The secret is shown once, when created or rotated; afterwards only its prefix.' })
export class ApiKeyView {
  @Field(() => ID, { description: 'Identifies the key (not the secret): pass it to rotateApiKey or revokeApiKey.' })
  id!: string;

  @Field(() => ID, { description: 'The partner or internal team the key acts for.' })
  partnerId!: string;

  @Field({ description: 'Your name for the key, e.g. "production CRM sync".' })
  label!: string;

  @Field({ description: 'The first characters of the key, to recognise it.' })
  prefix!: string;

  @Field(() => [String], {
    description:
      'What the key may do: customers:read, customers:write, handoffs:read, handoffs:write, feedback:write, apikeys:manage, and admin for internal teams.',
  })
  scopes!: string[];

  @Field(() => ApiKeyStatus, { description: 'ACTIVE until revoked or rotated.' })
  status!: ApiKeyStatus;

  @Field({ description: 'When the key was created (UTC).' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the key stopped working (UTC); null while ACTIVE.' })
  revokedAt!: Date | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The person the key acts as (the identity subgraphs see carries them); null for a key of the partner as a whole. Deactivating the person revokes the key.',
  })
  personId!: string | null;
}

@ObjectType({ description: 'A new key and its secret: store the secret now, it is never shown again.' })
export class CreatedApiKey {
  @Field(() => ApiKeyView, { description: 'The new key as listed afterwards (without the secret).' })
  apiKey!: ApiKeyView;

  @Field({ description: 'Send as "Authorization: Bearer <secret>".' })
  secret!: string;
}

@InputType({ description: 'A new API key.' })
export class CreateApiKeyInput {
  @Field({ description: 'Your name for the key, e.g. "production CRM sync"; must not be empty. At most 25 active keys per partner (CONFLICT beyond).' })
  @MinLength(1, { message: 'label must not be empty' })
  @MaxLength(100)
  label!: string;

  @Field(() => [String], { nullable: true, description: "Defaults to the partner kind's scopes; never more than the caller's own." })
  @IsOptional()
  @ArrayMaxSize(20)
  scopes?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Whose key; another partner needs the admin scope of an internal team. Defaults to the caller.' })
  @IsOptional()
  partnerId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Bind the key to an ACTIVE person of the key’s partner (BAD_USER_INPUT otherwise): requests with it act as that person (myTasks, handoff actors).',
  })
  @IsOptional()
  personId?: string | null;
}
