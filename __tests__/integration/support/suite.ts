/**
 * The emulator a test file shares: moto with signature checking on behind the test proxy,
 * started once for the file, reset before each test with a fresh IAM user `ci`. Call it at the
 * top level of a test file; read its fields inside tests and hooks.
 */
import { startMoto, type Moto, type MotoUser } from './moto.js';
import { startProxy, type StsProxy } from './proxy.js';

/** What a test sees of the file's emulator. */
export interface MotoSuite {
  readonly moto: Moto;
  readonly proxy: StsProxy;
  /** The user `ci`, new for each test. */
  readonly user: MotoUser;
}

/** Registers the file's hooks and returns the emulator they keep. */
export function motoSuite(): MotoSuite {
  let moto: Moto | undefined;
  let proxy: StsProxy | undefined;
  let user: MotoUser | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startProxy({ moto });
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto?.reset();
    proxy?.clear();
    user = await moto?.createUser('ci');
  }, 30_000);
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is read before the suite started`);
    return value;
  };
  return {
    get moto() {
      return started(moto, 'moto');
    },
    get proxy() {
      return started(proxy, 'the proxy');
    },
    get user() {
      return started(user, 'the user');
    },
  };
}
