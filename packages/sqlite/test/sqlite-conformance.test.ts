import { runBackendConformance } from '@digests/conformance';
import { sqliteTarget } from './support/conformance-target.js';

runBackendConformance(sqliteTarget('conformance'));
