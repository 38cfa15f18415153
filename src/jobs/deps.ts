import type { Config } from '../config.js';
import type { JobsApi } from '../kube/types.js';
import type { Log } from '../log.js';
import type { NamespacePolicy } from '../safety/policy.js';

/** What the domain reads need: the cluster (already bound to one context), the config and the policy. */
export interface JobsDeps {
  api: JobsApi;
  config: Config;
  log: Log;
  policy: NamespacePolicy;
  now: () => number;
}
