import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { PersonRole, PersonStatus } from '../entities/person.entity';

@InputType({ description: 'A new person at a partner or internal team.' })
export class AddPersonInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Whose person; another partner’s needs an internal team with the admin scope (FORBIDDEN otherwise). Default: the caller’s.',
  })
  @IsOptional()
  partnerId?: string | null;

  @Field({ description: 'The person’s name; must not be empty.' })
  @MaxLength(200)
  name!: string;

  @Field({ description: 'A valid e-mail address (BAD_USER_INPUT otherwise), unique in the partner whatever the case (CONFLICT otherwise).' })
  @MaxLength(254)
  email!: string;

  @Field(() => PersonRole, { description: 'What the person does; playbook tasks naming this role go to them.' })
  role!: PersonRole;
}

@InputType({ description: 'What changes about a person; leave a field out to keep it.' })
export class UpdatePersonInput {
  @Field(() => String, { nullable: true, description: 'The new name; must not be empty.' })
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'The new e-mail address: valid, and unique in the partner whatever the case.' })
  @MaxLength(254)
  email?: string | null;

  @Field(() => PersonRole, { nullable: true, description: 'The new role.' })
  role?: PersonRole | null;
}

@InputType({ description: 'Which people to list; leave a field out not to filter on it.' })
export class PeopleFilter {
  @Field(() => PersonStatus, { nullable: true, description: 'Only people with this status.' })
  status?: PersonStatus | null;

  @Field(() => PersonRole, { nullable: true, description: 'Only people with this role.' })
  role?: PersonRole | null;
}
