import { runBackendConformance } from '@digests/core/conformance';
import { sqliteTarget } from './support/conformance-target.js';

runBackendConformance(sqliteTarget('conformance'));
