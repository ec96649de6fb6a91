"""An MCP client over stdio, built on the official MCP Python SDK (PyPI `mcp`), driven one
request at a time by the Rust test through this process's stdin and stdout.

    python3 mcp_client.py '<server JSON>'

The server JSON is {"command": ..., "args": [...], "env": {...}}: the MCP server to start
(here `wassette run`). Its stderr goes to this process's stderr.

Wassette registers and loads its components in the background after the `initialize`
handshake: until then a call fails with "Tool not found", and while a component loads its
tools can vanish from `tools/list` for a moment. It announces each loaded component with
`notifications/tools/list_changed`, but only to a client that has sent it a request. So
this lists the tools every 20 ms until that notification has come and the list is not empty
(or, should the loading have ended before the first request, until the list has stayed
non-empty for QUIET_SECONDS), at most READY_SECONDS; then it prints one line,
{"server": <serverInfo>}, and answers each request line on stdin with one JSON line on stdout:

    {"op": "list"}                                  -> {"tools": [<Tool>, ...]}
    {"op": "call", "name": ..., "arguments": {...}}  -> <CallToolResult>
                                                       or {"mcp-error": {"code", "message"}}

Tools and results are the SDK's models dumped with their wire (camelCase) names, so the
test sees what the server sent: `inputSchema`, `outputSchema`, `isError`,
`structuredContent`. The client's own check of `structuredContent` against the tool's
`outputSchema` stays on. End of stdin ends the session and the server.
"""

import json
import sys

import anyio
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

READY_SECONDS = 60
QUIET_SECONDS = 5


def wire(model):
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def reply(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


async def answer(session, request):
    if request["op"] == "list":
        listed = await session.list_tools()
        return {"tools": [wire(tool) for tool in listed.tools]}
    if request["op"] == "call":
        try:
            return wire(await session.call_tool(request["name"], request["arguments"]))
        except MCPError as error:
            return {"mcp-error": {"code": error.error.code, "message": error.error.message}}
    raise ValueError(f"unknown op {request['op']!r}")


async def wait_for_tools(session, tools_changed):
    listed_since = None
    while True:
        if (await session.list_tools()).tools:
            listed_since = listed_since or anyio.current_time()
            if tools_changed.is_set() or anyio.current_time() - listed_since > QUIET_SECONDS:
                return
        else:
            listed_since = None
        await anyio.sleep(0.02)


async def main():
    server = json.loads(sys.argv[1])
    params = StdioServerParameters(command=server["command"], args=server["args"], env=server["env"])
    tools_changed = anyio.Event()

    async def on_message(message):
        if isinstance(message, types.ToolListChangedNotification):
            tools_changed.set()

    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, message_handler=on_message) as session:
            initialized = await session.initialize()
            with anyio.fail_after(READY_SECONDS):
                await wait_for_tools(session, tools_changed)
            reply({"server": wire(initialized.server_info)})
            while line := await anyio.to_thread.run_sync(sys.stdin.readline):
                reply(await answer(session, json.loads(line)))


anyio.run(main)
