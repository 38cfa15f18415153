// Discovery documents recorded from a Kubernetes 1.32 API server (test/fixtures/k8s-1.32), trimmed to the groups the demo serves.
export const DISCOVERY: Record<string, unknown> = {
 "/version": {
  "major": "1",
  "minor": "32",
  "gitVersion": "v1.32.13",
  "gitCommit": "$Format:%H$",
  "gitTreeState": "clean",
  "buildDate": "2026-11-22T10:50:40Z",
  "goVersion": "go1.23.5",
  "compiler": "gc",
  "platform": "linux/amd64"
 },
 "/api": {
  "kind": "APIVersions",
  "versions": [
   "v1"
  ],
  "serverAddressByClientCIDRs": [
   {
    "clientCIDR": "0.0.0.0/0",
    "serverAddress": "127.0.0.1:6443"
   }
  ]
 },
 "/apis": {
  "kind": "APIGroupList",
  "apiVersion": "v1",
  "groups": [
   {
    "name": "apps",
    "versions": [
     {
      "groupVersion": "apps/v1",
      "version": "v1"
     }
    ],
    "preferredVersion": {
     "groupVersion": "apps/v1",
     "version": "v1"
    }
   },
   {
    "name": "events.k8s.io",
    "versions": [
     {
      "groupVersion": "events.k8s.io/v1",
      "version": "v1"
     }
    ],
    "preferredVersion": {
     "groupVersion": "events.k8s.io/v1",
     "version": "v1"
    }
   },
   {
    "name": "authorization.k8s.io",
    "versions": [
     {
      "groupVersion": "authorization.k8s.io/v1",
      "version": "v1"
     }
    ],
    "preferredVersion": {
     "groupVersion": "authorization.k8s.io/v1",
     "version": "v1"
    }
   },
   {
    "name": "batch",
    "versions": [
     {
      "groupVersion": "batch/v1",
      "version": "v1"
     }
    ],
    "preferredVersion": {
     "groupVersion": "batch/v1",
     "version": "v1"
    }
   },
   {
    "name": "rbac.authorization.k8s.io",
    "versions": [
     {
      "groupVersion": "rbac.authorization.k8s.io/v1",
      "version": "v1"
     }
    ],
    "preferredVersion": {
     "groupVersion": "rbac.authorization.k8s.io/v1",
     "version": "v1"
    }
   }
  ]
 },
 "/api/v1": {
  "kind": "APIResourceList",
  "groupVersion": "v1",
  "resources": [
   {
    "name": "events",
    "singularName": "event",
    "namespaced": true,
    "kind": "Event",
    "verbs": [
     "create",
     "delete",
     "deletecollection",
     "get",
     "list",
     "patch",
     "update",
     "watch"
    ],
    "shortNames": [
     "ev"
    ]
   },
   {
    "name": "namespaces",
    "singularName": "namespace",
    "namespaced": false,
    "kind": "Namespace",
    "verbs": [
     "create",
     "delete",
     "get",
     "list",
     "patch",
     "update",
     "watch"
    ],
    "shortNames": [
     "ns"
    ]
   },
   {
    "name": "pods",
    "singularName": "pod",
    "namespaced": true,
    "kind": "Pod",
    "verbs": [
     "create",
     "delete",
     "deletecollection",
     "get",
     "list",
     "patch",
     "update",
     "watch"
    ],
    "shortNames": [
     "po"
    ]
   },
   {
    "name": "pods/log",
    "singularName": "",
    "namespaced": true,
    "kind": "Pod",
    "verbs": [
     "get"
    ]
   }
  ]
 },
 "/apis/batch/v1": {
  "kind": "APIResourceList",
  "apiVersion": "v1",
  "groupVersion": "batch/v1",
  "resources": [
   {
    "name": "cronjobs",
    "singularName": "cronjob",
    "namespaced": true,
    "kind": "CronJob",
    "verbs": [
     "create",
     "delete",
     "deletecollection",
     "get",
     "list",
     "patch",
     "update",
     "watch"
    ],
    "shortNames": [
     "cj"
    ],
    "categories": [
     "all"
    ],
    "storageVersionHash": "sd5LIXh4Fjs="
   },
   {
    "name": "cronjobs/status",
    "singularName": "",
    "namespaced": true,
    "kind": "CronJob",
    "verbs": [
     "get",
     "patch",
     "update"
    ]
   },
   {
    "name": "jobs",
    "singularName": "job",
    "namespaced": true,
    "kind": "Job",
    "verbs": [
     "create",
     "delete",
     "deletecollection",
     "get",
     "list",
     "patch",
     "update",
     "watch"
    ],
    "categories": [
     "all"
    ],
    "storageVersionHash": "mudhfqk/qZY="
   },
   {
    "name": "jobs/status",
    "singularName": "",
    "namespaced": true,
    "kind": "Job",
    "verbs": [
     "get",
     "patch",
     "update"
    ]
   }
  ]
 },
 "/apis/batch": {
  "kind": "APIGroup",
  "apiVersion": "v1",
  "name": "batch",
  "versions": [
   {
    "groupVersion": "batch/v1",
    "version": "v1"
   }
  ],
  "preferredVersion": {
   "groupVersion": "batch/v1",
   "version": "v1"
  }
 }
};
