/** Plans from inputs as the runner passes them, for the tests of the inputs and the plan. */
import { InputError } from '../src/shared/errors.js';
import { getPlan, type ReadFile } from '../src/connect/inputs/inputs.js';
import type { Plan } from '../src/connect/model.js';
import { actionDefaults } from './runner.js';
import { REPO_ENV } from './plans.js';

export const ARN = (name: string, account = '123456789012'): string =>
  `arn:aws:iam::${account}:role/${name}`;
export const KEYS = {
  'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE',
  'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
export const TOKEN = 'FwoGZXIvYXdzEJr//////////wEaDH+token=';
export const OIDC_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token',
};
export const ENV = { ...REPO_ENV };

export interface Case {
  inputs: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  files?: Record<string, string>;
}

/** The plan for `inputs` (with the action.yml defaults, as the runner passes them). */
export function planFor({ inputs, env = ENV, files = {} }: Case): Promise<Plan> {
  const all: Record<string, string> = { ...actionDefaults(), 'aws-region': 'eu-west-1', ...inputs };
  const readFile: ReadFile = (path) => files[path];
  return getPlan((name) => all[name] ?? '', env, readFile);
}

/** The InputError that `inputs` is refused with. */
export async function planRefusal(c: Case): Promise<InputError> {
  const err: unknown = await planFor(c).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}
