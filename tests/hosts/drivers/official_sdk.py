"""Exercises the emulator through the official TrueFoundry Python SDK (truefoundry-sdk), whose
pydantic models come from TrueFoundry's OpenAPI: every response must satisfy them.

Usage: official_sdk.py <base-url> <api-key> <workspace-fqn>
Prints one JSON object with what the SDK decoded.
"""

import json
import sys

from truefoundry_sdk import TrueFoundry

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

print(json.dumps({
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
}))
