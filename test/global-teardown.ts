export default async function globalTeardown() {
  const pg = (globalThis as { __HUB_PG__?: { stop(): Promise<void> } }).__HUB_PG__;
  await pg?.stop();
}
