/**
 * How many FinalizationRegistry registrations `work` makes, counted on the prototype, so
 * registries created before the call (by a library at load time) are counted too.
 */
export async function finalizersRegisteredDuring(work: () => Promise<void>): Promise<number> {
  let registered = 0;
  const { register } = FinalizationRegistry.prototype;
  const spy = jest.spyOn(FinalizationRegistry.prototype, 'register').mockImplementation(function (this: FinalizationRegistry<unknown>, ...args) {
    registered++;
    return register.apply(this, args);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return registered;
}
