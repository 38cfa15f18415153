// Plain JSON shapes of the objects the tools read, as the API server sends them.
// Only the fields the tools use are typed; everything else passes through untouched.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  generateName?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  managedFields?: unknown[];
  [k: string]: unknown;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  [k: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec: { containers: Container[]; initContainers?: Container[]; restartPolicy?: string; [k: string]: unknown };
}

export interface Job {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    parallelism?: number;
    completions?: number;
    completionMode?: string;
    backoffLimit?: number;
    backoffLimitPerIndex?: number;
    maxFailedIndexes?: number;
    activeDeadlineSeconds?: number;
    ttlSecondsAfterFinished?: number;
    suspend?: boolean;
    manualSelector?: boolean;
    selector?: LabelSelectorSpec;
    template: PodTemplate;
    [k: string]: unknown;
  };
  status?: {
    conditions?: Condition[];
    startTime?: string;
    completionTime?: string;
    active?: number;
    ready?: number;
    succeeded?: number;
    failed?: number;
    terminating?: number;
    completedIndexes?: string;
    failedIndexes?: string;
    [k: string]: unknown;
  };
}

export interface CronJob {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    schedule: string;
    timeZone?: string;
    suspend?: boolean;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace' | string;
    startingDeadlineSeconds?: number;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    jobTemplate: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Job['spec'] };
    [k: string]: unknown;
  };
  status?: {
    active?: { kind?: string; namespace?: string; name: string; uid?: string; apiVersion?: string; resourceVersion?: string }[];
    lastScheduleTime?: string;
    lastSuccessfulTime?: string;
    [k: string]: unknown;
  };
}

export interface WatchEvent<T = Job> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR' | string;
  object: T | { metadata?: { resourceVersion?: string }; kind?: string; code?: number; reason?: string; message?: string };
}

export interface WatchOptions {
  resourceVersion?: string;
  timeoutSeconds?: number;
  fieldSelector?: string;
  labelSelector?: string;
  signal?: AbortSignal;
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; signal?: number };
}

export interface ContainerStatus {
  name: string;
  state?: ContainerState;
  lastState?: ContainerState;
  ready: boolean;
  restartCount: number;
  image?: string;
  started?: boolean;
  [k: string]: unknown;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { containers: Container[]; initContainers?: Container[]; nodeName?: string; restartPolicy?: string; [k: string]: unknown };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    startTime?: string;
    [k: string]: unknown;
  };
}

export interface KubeEvent {
  metadata: ObjectMeta;
  involvedObject: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

export interface List<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface Namespace {
  metadata: ObjectMeta;
  status?: { phase?: string };
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  timestamps?: boolean;
}

export interface LogText {
  text: string;
  /** Values redacted in the whole window. */
  redacted: number;
  /** The read stopped at the byte cap: the newest lines may be missing. */
  capped: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Where the server points: shown in previews and error texts. */
export interface ClusterInfo {
  server: string;
  context: string;
  defaultNamespace: string;
}

/** The one surface handlers see; src/kube/client.ts implements it over HTTP. */
export interface JobsApi {
  cluster(): Promise<ClusterInfo>;
  /** The API server's version (GET /version): a cheap readiness check. */
  ping(): Promise<string>;
  listJobs(namespace: string | undefined, opts?: ListOptions): Promise<List<Job>>;
  getJob(namespace: string, name: string): Promise<Job>;
  /** The Job exactly as stored, NOT sanitized: only for building a write (a rerun copies its env). Never show it. */
  rawJob(namespace: string, name: string): Promise<Job>;
  createJob(namespace: string, job: Job): Promise<Job>;
  /** A JSON merge patch; a `metadata.resourceVersion` in it makes the API server refuse (409) a changed object. */
  patchJob(namespace: string, name: string, patch: unknown): Promise<Job>;
  /** Resolves with the API server's Warning header, if any (an orphaning delete sends one). */
  deleteJob(namespace: string, name: string, opts?: DeleteOptions): Promise<{ warning?: string }>;
  /** Streams watch events (sanitized) until the server ends the watch, the signal aborts, or an error. */
  watchJobs(namespace: string, opts: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<void>;
  listCronJobs(namespace: string | undefined, opts?: ListOptions): Promise<List<CronJob>>;
  getCronJob(namespace: string, name: string): Promise<CronJob>;
  /** Unsanitized, like rawJob: only for building the Job a trigger creates. */
  rawCronJob(namespace: string, name: string): Promise<CronJob>;
  patchCronJob(namespace: string, name: string, patch: unknown): Promise<CronJob>;
  listPods(namespace: string, opts?: ListOptions): Promise<List<Pod>>;
  getPod(namespace: string, name: string): Promise<Pod>;
  listEvents(namespace: string, opts?: ListOptions): Promise<List<KubeEvent>>;
  /** A log window, redacted over all of it and cleaned; capped at 1 MiB while reading. */
  readLog(namespace: string, pod: string, opts?: LogOptions): Promise<LogText>;
  listNamespaces(opts?: ListOptions): Promise<List<Namespace>>;
  /** True when the cluster serves KubeSphere's operations API. */
  hasKubeSphere(): Promise<boolean>;
  kubeSphereRerun(namespace: string, name: string, resourceVersion: string): Promise<void>;
}
