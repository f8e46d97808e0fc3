import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { forbidden } from '../../../../shared/errors';
import type { SlasContext } from '../context';
import { SlaTarget } from '../entities/enums';
import { PartnerRef } from '../entities/partner.stub';
import { SlaAttainment } from '../entities/sla-clock.entity';
import { attainmentKey } from '../loaders/slas.loaders';
import { parsePeriod } from '../services/period';

@Resolver(() => PartnerRef)
export class PartnerSlaResolver {
  @FieldResolver(() => SlaAttainment, {
    nullable: true,
    description:
      'Clocks held against this partner (as receiver) decided in the period: MET when stopped, BREACHED when breached. Only the partner itself and internal teams may read it (FORBIDDEN otherwise).',
  })
  async slaAttainment(
    @Root() partner: PartnerRef,
    @Arg('period', { description: '"2025", "2025-Q2", "2025-03", "2025-03-14", LAST_7_DAYS, LAST_30_DAYS or LAST_90_DAYS (UTC).' }) period: string,
    @Ctx() ctx: SlasContext,
    @Arg('target', () => SlaTarget, {
      nullable: true,
      description:
        'Only clocks of this target: ACCEPT or COMPLETE (clocks held against the partner as receiver), or PROPOSE (the PROPOSE clocks of handoffs that came due it was accountable for). Default: ACCEPT and COMPLETE.',
    })
    target?: SlaTarget,
  ): Promise<SlaAttainment> {
    if (!isInternal(ctx.identity) && ctx.identity.partnerId !== partner.id) throw forbidden('A partner can only read its own SLA attainment');
    const { from, to } = parsePeriod(period);
    const { met, breached } = await ctx.loaders.attainment.load(attainmentKey(partner.id, from, to, target ?? null));
    return Object.assign(new SlaAttainment(), {
      period,
      from,
      to,
      met,
      breached,
      percent: met + breached ? Math.round((met / (met + breached)) * 10000) / 100 : null,
    });
  }
}
