import { customerHref, handoffHref, parseDeepLink } from '../../dashboard/src/deep-link';

const H = '00000000-0000-4000-a000-000000000003';
const T = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const C = '00000000-0000-4000-9000-00000000000b';

/**
 * The dashboard reads the links notification e-mails carry; a garbled id is told apart before
 * the API is asked, and the links it writes itself read back the same.
 */
describe('dashboard deep links', () => {
  it('reads a handoff, a handoff with its task, and a customer', () => {
    expect(parseDeepLink(`?handoff=${H}`)).toEqual({ kind: 'handoff', handoffId: H, taskId: null });
    expect(parseDeepLink(`?handoff=${H}&task=${T.toUpperCase()}`)).toEqual({ kind: 'handoff', handoffId: H, taskId: T });
    expect(parseDeepLink(`?customer=${C}`)).toEqual({ kind: 'customer', customerId: C });
  });

  it('names nothing without a handoff or customer parameter', () => {
    expect(parseDeepLink('')).toBeNull();
    expect(parseDeepLink('?period=WEEK')).toBeNull();
  });

  it.each([
    ['?handoff=not-a-handoff', 'handoff id is not a valid id'],
    [`?handoff=${H.slice(0, 30)}`, 'handoff id is not a valid id'],
    [`?handoff=${H}&task=42`, 'task id is not a valid id'],
    ['?customer=%27%3B--', 'customer id is not a valid id'],
    [`?task=${T}`, 'a task without its handoff'],
    [`?handoff=${H}&customer=${C}`, 'both a handoff and a customer'],
  ])('%s is refused with a clear message', (search, message) => {
    const link = parseDeepLink(search);
    expect(link?.kind).toBe('invalid');
    expect(link?.kind === 'invalid' && link.message).toContain(message);
  });

  it('writes the links the e-mails write, and reads them back', () => {
    expect(handoffHref(H, T)).toBe(`/dashboard/?handoff=${H}&task=${T}`);
    expect(parseDeepLink(new URL(handoffHref(H, T), 'http://hub.invalid').search)).toEqual({ kind: 'handoff', handoffId: H, taskId: T });
    expect(parseDeepLink(new URL(customerHref(C), 'http://hub.invalid').search)).toEqual({ kind: 'customer', customerId: C });
  });
});
