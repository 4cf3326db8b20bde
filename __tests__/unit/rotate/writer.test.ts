/** Writing a pair into one target: the complete pair written once more after a half-write. */
import { parseTargets } from '../../../src/rotate/targets.js';
import {
  HalfWriteError,
  targetInfo,
  WriteError,
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
