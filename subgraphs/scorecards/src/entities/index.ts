import { CustomerFeedbackTokenRow } from './customer-feedback-token.entity';
import { FeedbackRevision } from './feedback-revision.entity';
import { Feedback } from './feedback.entity';

/** Projection tables (handoff_facts, rollups) are written with set-based SQL, not entities. */
export const scorecardsEntities = [Feedback, FeedbackRevision, CustomerFeedbackTokenRow];
