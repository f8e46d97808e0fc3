import { HttpSender } from '../src/webhooks/http-delivery';
import { classifyAddress, validateWebhookUrl } from '../src/webhooks/url-guard';

const strict = { allowLoopback: false, allowPrivate: false };
const loopbackOk = { allowLoopback: true, allowPrivate: false };

describe('webhook URL guard (SSRF)', () => {
  it.each([
    ['ftp://127.0.0.1/x', /only http and https/],
    ['file:///etc/passwd', /only http and https/],
    ['not a url', /is not a URL/],
    ['http://user:pw@127.0.0.1/', /credentials/],
    ['http://127.0.0.1:8080/hook', /loopback address/],
    ['http://localhost:8080/hook', /loopback address/],
    ['http://[::1]/hook', /loopback address/],
    ['http://[::ffff:127.0.0.1]/hook', /loopback address/],
    ['http://10.1.2.3/hook', /private address/],
    ['http://172.16.0.1/hook', /private address/],
    ['http://192.168.1.1/hook', /private address/],
    ['http://169.254.169.254/latest/meta-data', /private address/],
    ['http://100.64.0.1/hook', /private address/],
    ['http://0.0.0.0/hook', /private address/],
    ['http://[fd00::1]/hook', /private address/],
    ['http://[fe80::1]/hook', /private address/],
  ])('refuses %s', async (url, message) => {
    await expect(validateWebhookUrl(url, strict)).rejects.toMatchObject({
      message: expect.stringMatching(message),
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'url' }] },
    });
  });

  it('allows loopback only when configured to, and never private ranges through that setting', async () => {
    await expect(validateWebhookUrl('http://127.0.0.1:9/hook', loopbackOk)).resolves.toBeInstanceOf(URL);
    await expect(validateWebhookUrl('http://localhost:9/hook', loopbackOk)).resolves.toBeInstanceOf(URL);
    await expect(validateWebhookUrl('http://10.0.0.1/hook', loopbackOk)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(validateWebhookUrl('https://93.184.216.34/hook', strict)).resolves.toBeInstanceOf(URL);
  });

  it('classifies addresses', () => {
    expect(classifyAddress('8.8.8.8')).toBe('public');
    expect(classifyAddress('2606:4700::1111')).toBe('public');
    expect(classifyAddress('127.8.9.10')).toBe('loopback');
    expect(classifyAddress('::ffff:10.0.0.1')).toBe('private');
    expect(classifyAddress('64:ff9b::a00:1')).toBe('private');
  });

  it('refuses again at connect time, after DNS, so a name that resolves inside cannot be delivered to', async () => {
    const sender = new HttpSender({ policy: strict, timeoutMs: 1000 });
    const byName = await sender.send('http://localhost:9/hook', {}, '{}');
    expect(byName).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/refused to connect to loopback/) });
    const byAddress = await sender.send('http://10.0.0.1/hook', {}, '{}');
    expect(byAddress).toMatchObject({ ok: false, error: expect.stringMatching(/refused to connect to private/) });
    sender.close();
  });
});
