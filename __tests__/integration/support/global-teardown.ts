/** Jest global teardown for integration tests: nothing shared to stop (each test file stops its own moto). */
export default async function globalTeardown(): Promise<void> {}
