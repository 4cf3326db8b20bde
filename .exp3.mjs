import { IAMClient, CreateRoleCommand, CreateOpenIDConnectProviderCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
const ep = 'http://127.0.0.1:5123';
const anon = { accessKeyId: 'AKIAFAKEFAKEFAKE', secretAccessKey: 'x' };
await fetch(ep + '/moto-api/reset-auth', { method: 'POST', body: 'inf' }); await fetch(ep + '/moto-api/reset', { method: 'POST' });
const iam0 = new IAMClient({ endpoint: ep, region: 'us-east-1', credentials: anon });
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims) => `${b64({alg:'RS256',typ:'JWT',kid:'x'})}.${b64(claims)}.${Buffer.from('sig').toString('base64url')}`;
const now = Math.floor(Date.now()/1000);
const good = jwt({ sub: 'repo:octo/app:ref:refs/heads/main', aud: 'sts.amazonaws.com', iss: 'https://token.actions.githubusercontent.com', exp: now + 300, iat: now });
const bad = jwt({ sub: 'repo:evil/app:ref:refs/heads/main', aud: 'wrong', iss: 'https://evil', exp: now - 300, iat: now-600 });
const prov = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: prov }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:octo/app:ref:refs/heads/main' } } }] };
const role = (await iam0.send(new CreateRoleCommand({ RoleName: 'gh', AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role.Arn;
const trust2 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/nobody' }, Action: 'sts:AssumeRole' }] };
const role2 = (await iam0.send(new CreateRoleCommand({ RoleName: 'nogh', AssumeRolePolicyDocument: JSON.stringify(trust2) }))).Role.Arn;
for (const auth of ['inf', '0']) {
  await fetch(ep + '/moto-api/reset-auth', { method: 'POST', body: auth });
  for (const [n, t, r] of [['good', good, role], ['bad', bad, role], ['garbage', 'not-a-jwt', role], ['good-wrongrole', good, role2], ['good-missingrole', good, 'arn:aws:iam::123456789012:role/missing']]) {
    const sts = new STSClient({ endpoint: ep, region: 'us-east-1', maxAttempts: 1, credentials: anon });
    try { const a = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: r, RoleSessionName: 's', WebIdentityToken: t })); console.log(auth, n, 'OK', a.AssumedRoleUser?.Arn, a.SubjectFromWebIdentityToken, a.Audience, a.Provider, a.Credentials.AccessKeyId.slice(0,4)); }
    catch (e) { console.log(auth, n, '->', e.name, e.message.slice(0,150)); }
  }
}
const r = await fetch(ep + '/moto-api/data.json'); const d = await r.json(); console.log(JSON.stringify(d.iam.Role?.[0]).slice(0,600)); console.log(Object.keys(d.sts), JSON.stringify(d.sts.AssumedRole?.[0]).slice(0,500));
