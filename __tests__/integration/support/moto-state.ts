/**
 * Reads moto's internal IAM state from its dashboard endpoint `GET /moto-api/data.json`
 * (moto 5.x). The proxy uses it to find the owner and secret of an access key without
 * signing anything; tests may use it to inspect keys.
 */

/** An IAM access key as moto stores it (moto keeps the secret, which AWS never returns again). */
export interface MotoAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  status: string;
}

/** An IAM role as moto stores it. */
export interface MotoRole {
  arn: string;
  name: string;
  maxSessionDuration: number;
  trustPolicy: string;
}

/** An IAM OpenID Connect provider; `url` is the issuer without its `https://`. */
export interface MotoOidcProvider {
  arn: string;
  url: string;
  clientIds: string[];
}

/** The parts of moto's IAM state the support library reads. */
export interface MotoState {
  accessKeys: MotoAccessKey[];
  users: { name: string; arn: string }[];
  roles: MotoRole[];
  oidcProviders: MotoOidcProvider[];
}

type Row = Record<string, unknown>;

const str = (row: Row, key: string): string => {
  const v = row[key];
  return typeof v === 'string' ? v : '';
};

function rows(iam: unknown, model: string): Row[] {
  if (typeof iam !== 'object' || iam === null) return [];
  const list = (iam as Row)[model];
  return Array.isArray(list)
    ? list.filter((r): r is Row => typeof r === 'object' && r !== null)
    : [];
}

/** Fetches and narrows moto's IAM model data from `endpoint`. */
export async function readMotoState(endpoint: string): Promise<MotoState> {
  const res = await fetch(`${endpoint}/moto-api/data.json`);
  if (!res.ok) throw new Error(`moto data.json answered HTTP ${res.status}`);
  const data: unknown = await res.json();
  const iam = typeof data === 'object' && data !== null ? (data as Row)['iam'] : undefined;
  return {
    accessKeys: rows(iam, 'AccessKey')
      .filter((r) => str(r, 'user_name') !== '')
      .map((r) => ({
        accessKeyId: str(r, 'access_key_id'),
        secretAccessKey: str(r, 'secret_access_key'),
        userName: str(r, 'user_name'),
        status: str(r, 'status'),
      })),
    users: rows(iam, 'User').map((r) => ({ name: str(r, 'name'), arn: str(r, 'arn') })),
    roles: rows(iam, 'Role').map((r) => ({
      arn: str(r, 'arn'),
      name: str(r, 'name'),
      maxSessionDuration:
        typeof r['max_session_duration'] === 'number' ? r['max_session_duration'] : 3600,
      trustPolicy: str(r, 'assume_role_policy_document'),
    })),
    oidcProviders: rows(iam, 'OpenIDConnectProvider').map((r) => ({
      arn: str(r, 'arn'),
      url: str(r, 'url'),
      clientIds: Array.isArray(r['client_id_list'])
        ? r['client_id_list'].filter((c): c is string => typeof c === 'string')
        : [],
    })),
  };
}
