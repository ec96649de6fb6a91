"""Exercises the emulator through TrueFoundry's official Python packages, whose models must
accept every response:

- the SDK (PyPI truefoundry-sdk), pydantic models generated from TrueFoundry's OpenAPI, used
  through its own client;
- the CLI (PyPI truefoundry, `truefoundry.deploy`), whose entity models
  (`truefoundry/deploy/lib/model/entity.py`) require fields the OpenAPI leaves optional, such
  as `activeVersion` on every application and `cloudProvider` on every cluster. The raw
  answers are parsed with them as the CLI's own client does.

Usage: official_sdk.py <base-url> <api-key> <workspace-fqn>
Prints one JSON object with what both decoded.
"""

import json
import sys
import urllib.request

from truefoundry_sdk import TrueFoundry
from truefoundry.deploy.lib.model.entity import Application, Cluster, Deployment, Workspace
from truefoundry.pydantic_v1 import parse_obj_as
from typing import List

base_url, api_key, workspace_fqn = sys.argv[1:4]
client = TrueFoundry(api_key=api_key, base_url=base_url)

workspaces = list(client.workspaces.list(fqn=workspace_fqn))
workspace = workspaces[0]
volumes = list(client.applications.list(workspace_fqn=workspace_fqn, application_type="volume", limit=2))
first = client.applications.get(id=volumes[0].id).data
created = client.applications.create_or_update(
    workspace_id=workspace.id,
    manifest={
        "type": "volume",
        "name": "sdk-created",
        "config": {"type": "dynamic", "storage_class": "efs-sc", "size": 5},
    },
).data
cluster = client.clusters.get(id=workspace.cluster_id).data

sdk = {
    "workspace": {"id": workspace.id, "fqn": workspace.fqn},
    "volumes": sorted(v.name for v in volumes),
    "first": {
        "fqn": first.fqn,
        "lifecycle_stage": str(first.lifecycle_stage),
        "status": str(first.deployment.current_status.status),
        "size": first.deployment.manifest.config.size,
    },
    "created": {
        "fqn": created.fqn,
        "version": created.version,
        "status": str(created.current_status.status),
    },
    "cluster": {"id": cluster.id, "type": str(cluster.manifest.cluster_type)},
}


def call(method, path, body=None):
    """One raw request; the parsed JSON answer."""
    request = urllib.request.Request(
        base_url + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def application(app):
    return {
        "name": app.name,
        "active_version": app.activeVersion,
        "last_version": app.lastVersion,
        "status": app.deployment.currentStatus.status,
        # `lifecycleStage` is not in the CLI's model; it is kept as an extra field.
        "stage": app.lifecycleStage,
    }


def listed():
    page = call("GET", f"/api/svc/v1/apps?workspaceFqn={workspace_fqn}&applicationType=volume")
    return [application(app) for app in parse_obj_as(List[Application], page["data"])]


cli_workspaces = parse_obj_as(List[Workspace], call("GET", f"/api/svc/v1/workspaces?fqn={workspace_fqn}")["data"])
cli_clusters = parse_obj_as(List[Cluster], call("GET", "/api/svc/v1/clusters")["data"])
cli_cluster = Cluster.parse_obj(call("GET", f"/api/svc/v1/clusters/{workspace.cluster_id}")["data"])
failed = Deployment.parse_obj(call("PUT", "/api/svc/v1/apps", {
    "workspaceId": workspace.id,
    "manifest": {"type": "volume", "name": "cli-failed",
                 "config": {"type": "dynamic", "storage_class": "no-such-class", "size": 5}},
})["data"])
# A fresh application (sdk-created, still INITIALIZED: nothing active yet) and the failed one.
fresh = listed()
deleted = call("DELETE", f"/api/svc/v1/apps/{first.id}")
deleting = Application.parse_obj(call("GET", f"/api/svc/v1/apps/{first.id}")["data"])

cli = {
    "workspaces": [{"name": w.name, "fqn": w.fqn, "cluster": w.clusterId} for w in cli_workspaces],
    "clusters": [{"id": c.id, "cloud": c.cloudProvider} for c in cli_clusters + [cli_cluster]],
    "deployment": {"fqn": failed.fqn, "application_fqn": failed.application_fqn,
                   "version": failed.version, "status": failed.currentStatus.status},
    "listed": fresh,
    "deleted": deleted,
    "deleting": application(deleting),
    "after": listed(),
}

print(json.dumps({"sdk": sdk, "cli": cli}))
