/** Credentials and what STS says about them: the vocabulary every AWS adapter shares. */

/** A set of AWS credentials. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Credentials, with the optional parts only where they have a value (exactOptionalPropertyTypes). */
export function credentialsOf(
  accessKeyId: string,
  secretAccessKey: string,
  sessionToken?: string,
  expiration?: Date,
): Credentials {
  const c: Credentials = { accessKeyId, secretAccessKey };
  if (sessionToken) c.sessionToken = sessionToken;
  if (expiration) c.expiration = expiration;
  return c;
}

/** A session tag. */
export interface Tag {
  key: string;
  value: string;
}

/** The credentials a connection resolved to, with what STS said about them. */
export interface Session {
  credentials: Credentials;
  /** The assumed-role ARN (or the caller ARN for the base); empty when unknown. */
  arn: string;
  accountId: string;
}
