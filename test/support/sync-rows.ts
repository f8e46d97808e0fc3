/**
 * A customer row as a partner's CRM sends it to `upsertCustomers`: about 1 KB of JSON with
 * contacts and captured context, the size the API's "up to 1,000 rows" promise is sized
 * for (shared by the bulk-sync tests and the bulk-sync bench). `revision` changes a field
 * on every row, for update passes.
 */
export function realisticCustomerRow(prefix: string, n: number, revision = '') {
  const domain = `${prefix.toLowerCase()}-${n}.example.com`;
  return {
    externalId: `${prefix}-${String(n).padStart(7, '0')}`,
    name: `${prefix} Industrial Holdings ${n}${revision}`,
    domain,
    segment: 'MID_MARKET',
    region: 'EMEA',
    lifecycleStage: 'SQL',
    contacts: [
      { name: `Alexandra Lindqvist-${n}`, email: `alexandra.lindqvist@${domain}`, role: 'economic buyer', phone: '+46 8 555 01 23' },
      { name: `Jonathan Okafor-${n}`, email: `jonathan.okafor@${domain}`, role: 'champion', phone: '+44 20 7946 0958' },
      { name: `Mei Tanaka-${n}`, email: `mei.tanaka@${domain}`, role: 'admin', phone: '+81 3 5555 0199' },
    ],
    context: {
      goals: ['Consolidate regional pipelines into one forecast', 'Cut onboarding time for new sites by half'],
      painPoints: ['Three CRMs that disagree on account ownership', 'Manual hand-offs between sales and onboarding by e-mail'],
      currentSolution: 'Spreadsheets per region plus a legacy on-premise CRM',
      timeline: 'Decision this quarter, rollout next quarter',
      budget: 'EUR 120k-150k per year',
      notes: `Met at the Nordic partner summit; prefers quarterly business reviews in person. Security review needs SOC 2 report and a DPA before the pilot. Row ${n}.`,
    },
  };
}
