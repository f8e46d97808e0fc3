import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Registered operations, by the sha256 of their text. The file is either a plain map
 * `{ "<sha256>": "query …" }` or an Apollo persisted-query manifest
 * (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`).
 * Clients send `{ "documentId": "<sha256>" }` or the APQ extension
 * `{ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "<sha256>" } } }`.
 */
export function loadTrustedDocuments(path: string): Map<string, string> {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const entries: [string, string][] = Array.isArray(raw.operations)
    ? (raw.operations as { id: string; body: string }[]).map((o) => [o.id, o.body])
    : Object.entries(raw).map(([k, v]) => [k, String(v)]);
  const docs = new Map<string, string>();
  for (const [id, body] of entries) {
    const hash = createHash('sha256').update(body).digest('hex');
    // A manifest whose ids are not the documents' hashes would let a client run a document
    // under another one's name; refuse to start rather than trust it.
    if (hash !== id.replace(/^sha256:/, '')) throw new Error(`Trusted document ${id} does not match the sha256 of its body (${hash})`);
    docs.set(hash, body);
  }
  return docs;
}
