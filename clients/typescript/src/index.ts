export { createHubClient, type HubClient, type HubClientOptions, type HubSubscription, type VariablesArgument } from './client';
export { HubError, type HubErrorCode, type HubErrorExtensions, type HubErrorExtensionsByCode } from './errors';
// The typed documents, their result and variable types, and the schema's enums and inputs.
export * from './generated/graphql';
