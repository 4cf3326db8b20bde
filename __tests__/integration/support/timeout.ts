/**
 * Each integration test starts real processes (the bundles, moto, the AWS CLI): jest's 5 s
 * default failed tests on a busy 2-core machine that take about 2 s on a quiet one. (A
 * project's `testTimeout` is not read by jest-circus, hence this setup file.)
 */
import { jest } from '@jest/globals';

jest.setTimeout(30_000);
