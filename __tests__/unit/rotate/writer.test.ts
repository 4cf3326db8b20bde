/** Writing a pair into one target: the complete pair written once more after a half-write. */
import { parseTargets } from '../../../src/rotate/targets.js';
import {
  HalfWriteError,
  targetInfo,
  WriteError,
  writePair,
  writeWhole,
  type WriterDeps,
} from '../../../src/rotate/writer.js';
import { instantRetry } from '../../../__fixtures__/retry.js';
import { fakeSeal, FakeGithub, githubError, OLD } from '../../../__fixtures__/rotate-fakes.js';

const [TARGET] = parseTargets('repo:octo/app AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY');
const NEW = { accessKeyId: 'AKIANEWNEWNEWNEW0001', secretAccessKey: 'n'.repeat(40) };
const refused = githubError(403, 'Resource not accessible by integration');

function setup(): { gh: FakeGithub; deps: WriterDeps; halves: string[] } {
  const gh = new FakeGithub();
  gh.set('repo:octo/app', 'AWS_ACCESS_KEY_ID', OLD.accessKeyId);
  gh.set('repo:octo/app', 'AWS_SECRET_ACCESS_KEY', OLD.secretAccessKey);
  const deps = { secrets: gh, seal: fakeSeal, retry: instantRetry(), debug: () => undefined };
  return { gh, deps, halves: [] };
}

const info = () => targetInfo(TARGET!);
const held = (gh: FakeGithub): string[] => [
  gh.get('repo:octo/app', 'AWS_ACCESS_KEY_ID') ?? '',
  gh.get('repo:octo/app', 'AWS_SECRET_ACCESS_KEY') ?? '',
];

describe('writeWhole', () => {
  it('writes both secrets, and calls onHalf only after a half-write', async () => {
    const { gh, deps, halves } = setup();
    await writeWhole(deps, info(), NEW, (e) => halves.push(e.message));
    expect(held(gh)).toEqual([NEW.accessKeyId, NEW.secretAccessKey]);
    expect(halves).toEqual([]);
  });

  it('a failure before anything landed is thrown as it came, with no second write', async () => {
    const { gh, deps, halves } = setup();
    gh.fail('putSecret', refused);
    const err: unknown = await writeWhole(deps, info(), NEW, (e) => halves.push(e.message)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WriteError);
    expect((err as WriteError).touched).toBe(false);
    expect(halves).toEqual([]);
    expect(held(gh)).toEqual([OLD.accessKeyId, OLD.secretAccessKey]);
  });

  it('a write that stops halfway is written again, complete', async () => {
    const { gh, deps, halves } = setup();
    gh.fail('putSecret', refused, { when: (c) => c.name === 'AWS_ACCESS_KEY_ID' });
    await writeWhole(deps, info(), NEW, (e) => halves.push(e.message));
    expect(halves).toHaveLength(1);
    expect(held(gh)).toEqual([NEW.accessKeyId, NEW.secretAccessKey]);
  });

  it('a second failure is a HalfWriteError carrying both', async () => {
    const { gh, deps, halves } = setup();
    gh.fail('putSecret', refused, { times: 2, when: (c) => c.name === 'AWS_ACCESS_KEY_ID' });
    const err: unknown = await writeWhole(deps, info(), NEW, (e) => halves.push(e.message)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HalfWriteError);
    const half = err as HalfWriteError;
    expect(half.first.landed).toEqual({ secret: 'yes', id: 'no' });
    expect(half.again).toBeInstanceOf(WriteError);
    expect(halves).toEqual([half.first.message]);
  });
});

describe('writePair: what it says and what it records', () => {
  it('a retried request and a changed public key are each said in the debug log', async () => {
    const { gh, deps } = setup();
    const debugs: string[] = [];
    gh.fail('getPublicKey', githubError(503, 'Service Unavailable'), { times: 1 });
    gh.fail('putSecret', githubError(422, 'Bad key_id'), { times: 1 });
    await writePair({ ...deps, debug: (m) => debugs.push(m) }, info(), NEW);
    expect(held(gh)).toEqual([NEW.accessKeyId, NEW.secretAccessKey]);
    expect(debugs).toEqual([
      expect.stringMatching(
        /^reading the public key of repo:octo\/app: try 1 failed \(request failed: .*503.*\); retrying$/,
      ),
      'writing repo:octo/app AWS_SECRET_ACCESS_KEY: the public key changed; fetching it again',
    ]);
  });

  it('a refusal (4xx) lands nothing; no answer (5xx) may have landed', async () => {
    const refusal = setup();
    refusal.gh.fail('putSecret', refused);
    const e1 = (await writePair(refusal.deps, info(), NEW).catch((e: unknown) => e)) as WriteError;
    expect(e1.landed).toEqual({ secret: 'no', id: 'no' });
    expect(e1.touched).toBe(false);
    const lost = setup();
    lost.gh.fail('putSecret', githubError(502, 'Bad Gateway'), { times: 100 });
    const e2 = (await writePair(lost.deps, info(), NEW).catch((e: unknown) => e)) as WriteError;
    expect(e2.landed).toEqual({ secret: 'maybe', id: 'no' });
  });

  it('touched: either secret landed, or may have', () => {
    expect(new WriteError('x', { secret: 'no', id: 'no' }).touched).toBe(false);
    expect(new WriteError('x', { secret: 'no', id: 'maybe' }).touched).toBe(true);
    expect(new WriteError('x', { secret: 'yes', id: 'no' }).touched).toBe(true);
  });
});
