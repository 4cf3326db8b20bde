import { IAMClient, CreateUserCommand, PutUserPolicyCommand, CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const ep = 'http://127.0.0.1:5123';
await fetch(ep + '/moto-api/reset-auth', { method: 'POST', body: 'inf' }); await fetch(ep + '/moto-api/reset', { method: 'POST' });
const anon = { accessKeyId: 'AKIAFAKEFAKEFAKE', secretAccessKey: 'x' };
const iam0 = new IAMClient({ endpoint: ep, region: 'us-east-1', credentials: anon });
await iam0.send(new CreateUserCommand({ UserName: 'admin' }));
const k = (await iam0.send(new CreateAccessKeyCommand({ UserName: 'admin' }))).AccessKey;
await iam0.send(new PutUserPolicyCommand({ UserName: 'admin', PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
await fetch(ep + '/moto-api/reset-auth', { method: 'POST', body: '0' });
const sts = (c) => new STSClient({ endpoint: ep, region: 'us-east-1', credentials: c, maxAttempts: 1 });
try { console.log((await sts({ accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, sessionToken: 'random' }).send(new GetCallerIdentityCommand({}))).Arn); } catch (e) { console.log('with token ->', e.name, e.message); }
