import { ArrayMaxSize, IsOptional, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
}
registerEnumType(ApiKeyStatus, { name: 'ApiKeyStatus' });

@ObjectType('ApiKey', { description: 'An API credential. The secret is shown once, when created or rotated; afterwards only its prefix.' })
export class ApiKeyView {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  partnerId!: string;

  @Field()
  label!: string;

  @Field({ description: 'The first characters of the key, to recognise it.' })
  prefix!: string;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => ApiKeyStatus)
  status!: ApiKeyStatus;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A new key and its secret: store the secret now, it is never shown again.' })
export class CreatedApiKey {
  @Field(() => ApiKeyView)
  apiKey!: ApiKeyView;

  @Field({ description: 'Send as "Authorization: Bearer <secret>".' })
  secret!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field()
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
}
