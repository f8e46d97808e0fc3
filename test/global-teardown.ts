export default async function globalTeardown() {
  const clusters = (globalThis as { __HUB_PG__?: { stop(): Promise<void> }[] }).__HUB_PG__ ?? [];
  await Promise.all(clusters.map((pg) => pg.stop()));
}
