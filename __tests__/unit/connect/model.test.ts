/**
 * src/connect/model.ts holds types only. What can be checked of it is checked here: that the
 * shapes the fixtures and the resolvers rely on still compile, and that every base kind is
 * one the main step can describe.
 */
import { chainPlan, plan, result, spec } from '../../../__fixtures__/plans.js';
import type { BaseSpec, ConnectionResult, Plan } from '../../../src/connect/model.js';
import { describeBase } from '../../../src/connect/resolve/base.js';

/** Fails to compile when a base kind is added and not listed here. */
function everyKind(kind: BaseSpec['kind']): BaseSpec {
  switch (kind) {
    case 'static':
      return { kind, accessKeyId: 'AKIAX', secretAccessKey: 's' };
    case 'web-identity-file':
      return { kind, path: '/t/token' };
    case 'oidc':
      return { kind, audience: 'sts.amazonaws.com' };
    case 'default-chain':
      return { kind };
  }
}

describe('the model', () => {
  test.each<BaseSpec['kind']>(['static', 'web-identity-file', 'oidc', 'default-chain'])(
    'base kind %s is described',
    (kind) => {
      expect(describeBase(everyKind(kind))).toMatch(/\S/);
    },
  );

  test('a chain: each connection sourced from the one before, the last primary', () => {
    const p: Plan = chainPlan(3);
    expect(p.connections.map((c) => c.source)).toEqual([undefined, 'chain-1', 'chain-2']);
    expect(p.primary).toBe('chain-3');
  });

  test('a result pairs a spec with the session it resolved to', () => {
    const r: ConnectionResult = result(spec('hub'));
    expect(r.session.accountId).toBe(r.spec.role.accountId);
    expect(plan().connections).toEqual([]);
  });
});
