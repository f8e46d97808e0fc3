import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { RequireScopes } from '../../../../shared/auth/scopes';
import type { HandoffsContext } from '../context';
import { HandoffMoment } from '../entities/enums';
import { Playbook } from '../entities/playbook.entity';
import { PLAYBOOK_COLUMNS, toPlaybook } from '../services/handoff-store';
import { publishPlaybook } from '../services/playbook.service';
import { PlaybookInput } from './playbook.inputs';

/** Playbooks are how the hub works, not anyone's data: every authenticated caller reads them. */
@Resolver(() => Playbook)
export class PlaybookResolver {
  @RequireScopes('handoffs:read')
  @Query(() => [Playbook], { description: 'The current version of each playbook (optionally of one moment); with allVersions, every version, newest first.' })
  async playbooks(
    @Ctx() ctx: HandoffsContext,
    @Arg('moment', () => HandoffMoment, { nullable: true, description: 'Only the playbook(s) of this moment. Default: all moments.' }) moment?: HandoffMoment,
    @Arg('allVersions', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Return every published version, newest first, instead of the current one of each moment.',
    })
    allVersions?: boolean,
  ): Promise<Playbook[]> {
    const rows: object[] = await ctx.db.query(
      allVersions
        ? `SELECT ${PLAYBOOK_COLUMNS} FROM handoffs.playbooks p WHERE ($1::text IS NULL OR p.moment = $1) ORDER BY p.moment_key, p.version DESC`
        : `SELECT DISTINCT ON (p.moment_key) ${PLAYBOOK_COLUMNS} FROM handoffs.playbooks p WHERE ($1::text IS NULL OR p.moment = $1) ORDER BY p.moment_key, p.version DESC`,
      [moment ?? null],
    );
    const playbooks = rows.map(toPlaybook);
    for (const p of playbooks) ctx.loaders.playbook.prime(p.id, p);
    return playbooks;
  }

  @RequireScopes('admin')
  @Mutation(() => Playbook, { description: 'Internal teams only. Publishes a new version; handoffs already running keep theirs.' })
  publishPlaybook(
    @Arg('input', () => PlaybookInput, { description: 'The whole playbook of the moment, as the new version will read.' }) input: PlaybookInput,
    @Ctx() ctx: HandoffsContext,
  ): Promise<Playbook> {
    return publishPlaybook(ctx.db, ctx.identity, input);
  }
}
