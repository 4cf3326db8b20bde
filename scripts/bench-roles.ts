/** The roles both benchmark modes assume: a three-role chain and four siblings on the user. */
import { trustPolicy, type Moto, type MotoUser } from '../__tests__/integration/support/moto.js';

/** Role ARNs: `chain[i]` trusts `chain[i-1]` (the first, the user); every sibling the user. */
export interface BenchRoles {
  chain: string[];
  siblings: string[];
}

/** Creates the roles, each trusting its source with the external ID the action derives. */
export async function makeRoles(moto: Moto, user: MotoUser): Promise<BenchRoles> {
  const chain: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const prev = chain[i - 2];
    const principal = prev ?? user.arn;
    chain.push(
      await moto.createRole(
        `r${i}`,
        trustPolicy({
          principalArn: principal,
          externalId: `github:4040:100200300:chain:${i}:r${i}`,
        }),
      ),
    );
  }
  const siblings: string[] = [];
  for (let i = 0; i < 4; i++)
    siblings.push(
      await moto.createRole(
        `s${i}`,
        trustPolicy({
          principalArn: user.arn,
          externalId: `github:4040:100200300:connection:s${i}`,
        }),
      ),
    );
  return { chain, siblings };
}
