import { PersonRole } from '../../../shared/graphql/enums';
import { CustomerContextPart, HandoffMoment, LifecycleStage, PlaybookFieldRole, PlaybookFieldType as T } from './entities/enums';
import type { PlaybookInput } from './resolvers/playbook.inputs';
import { RoutingOwnerKind } from './entities/routing.entity';

const field = (name: string, type: T, description: string, required = true) => ({ name, type, description, required });
/** The handoff's value (Handoff.value), exact and with its currency; optional: without it the customer's commercials give the value. */
/** A field the customer sees on its journey page (PlaybookField.customerVisible). */
const shown = <F extends object>(f: F) => ({ ...f, customerVisible: true });
const valueField = (name: string, description: string) => ({ ...field(name, T.MONEY, description, false), role: PlaybookFieldRole.VALUE });

/** One realistic playbook per named moment: what `npm start` shows and README examples use. */
export const DEMO_PLAYBOOKS: PlaybookInput[] = [
  {
    moment: HandoffMoment.MQL_TO_SQL,
    name: 'Marketing-qualified lead to sales',
    description: 'A lead that meets the scoring bar goes to a seller within one business day, with everything marketing learned.',
    trigger: { fromStage: LifecycleStage.MQL, toStage: LifecycleStage.SQL, description: 'Lead score reaches 70 or the lead asks for a demo' },
    requiredFields: [
      field('leadScore', T.INTEGER, 'Lead score at the time of handoff (0–100)'),
      field('source', T.STRING, 'Campaign or channel the lead came from'),
      shown(field('useCase', T.STRING, 'The problem the lead wants to solve, in its words')),
      field('budgetConfirmed', T.BOOLEAN, 'Whether a budget was confirmed'),
      field('decisionDate', T.DATE, 'When the customer expects to decide', false),
    ],
    responsibleRole: 'Account executive',
    customerVisibleContext: [CustomerContextPart.GOALS, CustomerContextPart.CUSTOMER_SAID],
    customerFacingActions: ['Personal intro email from the seller within 1 business day', 'Discovery call booked within 5 business days'],
    tasks: [
      {
        title: 'Send a personal intro email',
        description: 'Reference what the lead already told marketing; do not ask it again.',
        dueInDays: 1,
        assigneeRole: PersonRole.SALES_REP,
      },
      { title: 'Hold the discovery call', description: null, dueInDays: 5, assigneeRole: PersonRole.SALES_REP },
    ],
    deliverables: [field('qualified', T.BOOLEAN, 'Whether sales accepts the lead as a real opportunity'), field('nextStep', T.STRING, 'The agreed next step')],
    changeNote: 'First version.',
  },
  {
    moment: HandoffMoment.DIRECT_TO_PARTNER,
    name: 'Direct deal to channel partner',
    description: 'A customer better served by a partner (region, size, specialism) is handed to it with the deal context.',
    trigger: { fromStage: LifecycleStage.SQL, toStage: LifecycleStage.OPPORTUNITY, description: 'Territory or segment rules route the deal to the channel' },
    requiredFields: [
      field('dealSize', T.NUMBER, 'Expected annual contract value in USD'),
      field('products', T.STRING_LIST, 'Products the customer is evaluating'),
      field('competitors', T.STRING_LIST, 'Competitors in the deal', false),
      field('closeDate', T.DATE, 'Expected close date'),
      valueField('dealValue', 'Expected annual contract value, exact, in the deal’s currency: the handoff’s value (else the customer’s pipeline value)'),
    ],
    responsibleRole: 'Partner account manager',
    customerFacingActions: ['Joint intro call with our seller and the partner', 'Partner sends its proposal within 10 business days'],
    tasks: [
      {
        title: 'Schedule the joint intro call',
        description: 'Invite our seller; the customer meets both of you once.',
        dueInDays: 3,
        assigneeRole: PersonRole.PARTNER_MANAGER,
      },
      { title: 'Register the deal in your CRM', description: null, dueInDays: 2, assigneeRole: PersonRole.PARTNER_MANAGER },
    ],
    deliverables: [field('proposalSent', T.BOOLEAN, 'The proposal went out'), field('proposalValue', T.NUMBER, 'Value of the proposal in USD')],
    changeNote: 'First version.',
  },
  {
    moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
    name: 'Closed-won to onboarding',
    description: 'A signed customer goes to the onboarding team or implementation partner with the promises made in the sale.',
    trigger: {
      fromStage: LifecycleStage.CLOSED_WON,
      toStage: LifecycleStage.ONBOARDING,
      description: 'Contract countersigned',
      // Onboarding is a service provider's: a customer onboarding with anyone else waits for this handoff.
      receiverKind: RoutingOwnerKind.SERVICE_PROVIDER,
    },
    requiredFields: [
      field('contractValue', T.NUMBER, 'Annual contract value in USD'),
      shown(field('startDate', T.DATE, 'Contracted start date')),
      shown(field('successCriteria', T.STRING_LIST, 'What the customer must achieve for the project to count as a success')),
      field('executiveSponsor', T.EMAIL, "The customer's executive sponsor"),
      field('contractUrl', T.URL, 'Link to the signed order form'),
      valueField('signedValue', 'Annual contract value as signed, exact, in the contract’s currency: the handoff’s value (else the customer’s ARR)'),
    ],
    responsibleRole: 'Onboarding manager',
    // The customer sees what it already told us, so the kick-off confirms instead of re-asking.
    customerVisibleContext: [CustomerContextPart.GOALS, CustomerContextPart.CUSTOMER_SAID],
    customerFacingActions: [
      'Welcome email introducing the onboarding manager',
      'Kick-off meeting within 5 business days',
      'Onboarding plan shared after kick-off',
    ],
    tasks: [
      {
        title: 'Send the welcome email',
        description: 'Introduce yourself and confirm the kick-off date.',
        dueInDays: 1,
        assigneeRole: PersonRole.ONBOARDING_LEAD,
      },
      {
        title: 'Run the kick-off meeting',
        description: 'Replay the success criteria from the handoff; confirm, do not re-ask.',
        dueInDays: 5,
        assigneeRole: PersonRole.ONBOARDING_LEAD,
      },
      { title: 'Share the onboarding plan', description: null, dueInDays: 7, assigneeRole: PersonRole.ONBOARDING_LEAD },
    ],
    deliverables: [
      shown(field('kickoffDate', T.DATE, 'When the kick-off took place')),
      field('onboardingPlanUrl', T.URL, 'Link to the agreed onboarding plan'),
      shown(field('goLiveTarget', T.DATE, 'The agreed go-live date')),
    ],
    changeNote: 'First version.',
  },
  {
    moment: HandoffMoment.ONBOARDING_TO_SUCCESS,
    name: 'Onboarding to customer success',
    description: 'A live customer moves from the project team to its long-term customer success manager.',
    trigger: { fromStage: LifecycleStage.ONBOARDING, toStage: LifecycleStage.ACTIVE, description: 'Go-live signed off by the customer' },
    requiredFields: [
      shown(field('goLiveDate', T.DATE, 'When the customer went live')),
      field('adoptionRisks', T.STRING_LIST, 'Known risks to adoption', false),
      field('healthScore', T.INTEGER, 'Health score at go-live (0–100)'),
      field('trainingCompleted', T.BOOLEAN, 'Admin training completed'),
    ],
    responsibleRole: 'Customer success manager',
    customerVisibleContext: [CustomerContextPart.GOALS],
    customerFacingActions: ['Warm intro from the onboarding manager to the CSM', 'First success review within 30 days'],
    tasks: [
      { title: 'Hold the introduction call with the onboarding manager', description: null, dueInDays: 3, assigneeRole: PersonRole.SUCCESS_MANAGER },
      { title: 'Schedule the 30-day success review', description: null, dueInDays: 10, assigneeRole: PersonRole.SUCCESS_MANAGER },
    ],
    deliverables: [field('successPlanUrl', T.URL, 'Link to the success plan'), shown(field('firstReviewDate', T.DATE, 'Date of the first success review'))],
    changeNote: 'First version.',
  },
  {
    moment: HandoffMoment.SUCCESS_TO_RENEWAL,
    name: 'Customer success to renewal',
    description: 'Ahead of the renewal date, the account goes to the renewals owner with usage and risk context.',
    trigger: { fromStage: LifecycleStage.ACTIVE, toStage: LifecycleStage.RENEWAL, description: '120 days before the renewal date' },
    requiredFields: [
      field('renewalDate', T.DATE, 'Contract renewal date'),
      field('currentArr', T.NUMBER, 'Current annual recurring revenue in USD'),
      field('healthScore', T.INTEGER, 'Current health score (0–100)'),
      field('expansionOpportunities', T.STRING_LIST, 'Known upsell or cross-sell opportunities', false),
    ],
    responsibleRole: 'Renewals manager',
    customerFacingActions: ['Renewal review meeting 90 days before the date', 'Renewal quote 60 days before the date'],
    tasks: [
      { title: 'Book the renewal review', description: null, dueInDays: 14, assigneeRole: PersonRole.SUCCESS_MANAGER },
      { title: 'Prepare the renewal quote', description: null, dueInDays: 30, assigneeRole: PersonRole.SUCCESS_MANAGER },
    ],
    deliverables: [
      field('renewalQuoteSent', T.BOOLEAN, 'The renewal quote went out'),
      field('quotedArr', T.NUMBER, 'Quoted ARR in USD'),
      // Accounts records these as the customer's renewal outcome (docs/revenue.md#renewal-outcomes).
      field('renewalOutcome', T.STRING, 'How the renewal ended: RENEWED, EXPANDED, CONTRACTED or CHURNED', false),
      field('newArr', T.OBJECT, 'The ARR from the effective date: { "amount": "1250.50", "currency": "EUR" }, in the customer’s commercials currency', false),
      field('effectiveDate', T.DATE, 'When the outcome takes effect', false),
    ],
    changeNote: 'First version.',
  },
];
