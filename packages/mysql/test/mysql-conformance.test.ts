import { runBackendConformance } from '@digests/conformance';
import { describeMysql } from './support/conformance-target.js';

await describeMysql('conf', (target) => runBackendConformance(target));
