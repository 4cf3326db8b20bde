import { IAMClient, CreateUserCommand, PutUserPolicyCommand, CreateAccessKeyCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand, GetSessionTokenCommand, AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
const ep = 'http://127.0.0.1:5123';
await fetch(ep + '/moto-api/reset-auth', { method: 'POST', body: 'inf' }); await fetch(ep + '/moto-api/reset', { method: 'POST' });
const anon = { accessKeyId: 'AKIAFAKEFAKEFAKE', secretAccessKey: 'x' };
const iam0 = new IAMClient({ endpoint: ep, region: 'us-east-1', credentials: anon });
await iam0.send(new CreateUserCommand({ UserName: 'admin' }));
await iam0.send(new PutUserPolicyCommand({ UserName: 'admin', PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
const k = (await iam0.send(new CreateAccessKeyCommand({ UserName: 'admin' }))).AccessKey;
console.log(k.AccessKeyId, k.SecretAccessKey.length);
let r = await fetch(ep + '/moto-api/reset-auth', { method: 'POST', body: '0' }); console.log('reset-auth', r.status, await r.text());
const admin = { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey };
const sts = (c) => new STSClient({ endpoint: ep, region: 'us-east-1', credentials: c, maxAttempts: 1 });
console.log((await sts(admin).send(new GetCallerIdentityCommand({}))).Arn);
try { await sts({ ...admin, secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})); console.log('WRONG ACCEPTED'); } catch (e) { console.log('wrong secret ->', e.name, e.$metadata?.httpStatusCode); }
try { await sts(anon).send(new GetCallerIdentityCommand({})); console.log('ANON ACCEPTED'); } catch (e) { console.log('unknown key ->', e.name); }
const iam = new IAMClient({ endpoint: ep, region: 'us-east-1', credentials: admin });
// user
await iam.send(new CreateUserCommand({ UserName: 'u1', Path: '/ci/' }));
await iam.send(new PutUserPolicyCommand({ UserName: 'u1', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:*','iam:*'], Resource: '*' }] }) }));
const uk = (await iam.send(new CreateAccessKeyCommand({ UserName: 'u1' }))).AccessKey;
const u = { accessKeyId: uk.AccessKeyId, secretAccessKey: uk.SecretAccessKey };
console.log('u1', (await sts(u).send(new GetCallerIdentityCommand({}))).Arn);
const trust = (ext) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/u1' }, Action: ['sts:AssumeRole','sts:TagSession'], ...(ext ? { Condition: { StringEquals: { 'sts:ExternalId': ext } } } : {}) }] });
const role = (await iam.send(new CreateRoleCommand({ RoleName: 'r1', AssumeRolePolicyDocument: trust('ext-123') }))).Role.Arn;
console.log('role', role);
for (const ext of ['ext-123', 'ext-bad', undefined]) {
  try { const a = await sts(u).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 's', ExternalId: ext })); console.log('ext', ext, 'ok', a.Credentials.AccessKeyId.slice(0,4));
    const c = { accessKeyId: a.Credentials.AccessKeyId, secretAccessKey: a.Credentials.SecretAccessKey, sessionToken: a.Credentials.SessionToken };
    console.log('  as', (await sts(c).send(new GetCallerIdentityCommand({}))).Arn);
    try { await sts({...c, sessionToken: 'bad'}).send(new GetCallerIdentityCommand({})); console.log('  bad token accepted'); } catch (e) { console.log('  bad token ->', e.name); }
  } catch (e) { console.log('ext', ext, '->', e.name, e.message); }
}
// principal mismatch
const role2 = (await iam.send(new CreateRoleCommand({ RoleName: 'r2', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/other' }, Action: 'sts:AssumeRole' }] }) }))).Role.Arn;
try { await sts(u).send(new AssumeRoleCommand({ RoleArn: role2, RoleSessionName: 's' })); console.log('wrong principal accepted'); } catch (e) { console.log('wrong principal ->', e.name); }
const gst = await sts(u).send(new GetSessionTokenCommand({}));
console.log('GST', gst.Credentials);
