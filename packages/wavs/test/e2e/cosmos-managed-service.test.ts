import { cosmwasmCode } from "@wavs-ts/contracts";
import { buildFixture } from "@wavs-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { componentJson } from "../../src/devnet/dev-services.js";
import {
  cosmosChainToml,
  startTestCosmos,
  type TestCosmos,
  WASMD_HOOK_TIMEOUT,
} from "../helpers/cosmos-harness.js";
import { api, startChainAndHome, uploadComponent, waitUntil } from "../helpers/node-network.js";
import type { NodeProcess } from "../helpers/node-process.js";

type Home = Awaited<ReturnType<typeof startChainAndHome>>;

describe("a service managed on Cosmos (real wasmd, real node process)", () => {
  let cosmos: TestCosmos;
  let home: Home;
  let node: NodeProcess;
  let manager: string;
  let digest: string;
  let probeDigest: string;
  let serviceManager: { cosmos: { chain: string; address: string } };

  beforeAll(async () => {
    cosmos = await startTestCosmos("wasmd-managed");
    home = await startChainAndHome({ extraToml: cosmosChainToml(cosmos) });
    node = await home.startNode();
    manager = await cosmos.wallet.deploy(cosmwasmCode("service_manager"), {}, "managed");
    serviceManager = { cosmos: { chain: cosmos.key, address: manager } };
    digest = await uploadComponent(node.url, await buildFixture("square"));
    probeDigest = await uploadComponent(node.url, await buildFixture("host-probe"));
  }, WASMD_HOOK_TIMEOUT);

  afterAll(async () => {
    await home?.close(node);
    await cosmos?.stop();
  });

  /** Store a service JSON on the node and point the Cosmos manager at it. */
  async function publish(workflows: Record<string, unknown>, name: string): Promise<void> {
    const service = { name, workflows, status: "active", manager: serviceManager };
    const stored = await api(`${node.url}/dev/services`, "POST", service);
    expect(stored.status, stored.text).toBe(200);
    const uri = `${node.url}/dev/services/${(stored.json as { hash: string }).hash}`;
    const tx = await cosmos.wallet.execute(manager, [
      { wavs_set_service_uri: { service_uri: uri } },
    ]);
    expect(tx.events.some((e) => e.type === "wasm-wavs-service-uri-updated")).toBe(true);
  }

  const workflow = () => ({
    trigger: {
      cosmos_contract_event: {
        address: cosmos.trigger,
        chain: cosmos.key,
        event_type: "new-message",
      },
    },
    component: componentJson(digest),
    submit: "none",
  });

  const services = async () =>
    (await api(`${node.url}/services`, "GET")).json as {
      services: { name: string; workflows: Record<string, unknown> }[];
      service_ids: string[];
    };

  it("opts in by the manager's wavs_service_uri, runs on a Cosmos event, follows a live update, opts out", async () => {
    await publish({ first: workflow() }, "cosmos-managed-v1");
    const added = await api(`${node.url}/services`, "POST", { service_manager: serviceManager });
    expect(added.status, added.text).toBe(204);
    const listed = await services();
    expect(listed.services.map((s) => s.name)).toEqual(["cosmos-managed-v1"]);
    const serviceId = listed.service_ids[0]!;
    const byManager = await api(`${node.url}/services/${cosmos.key}/${manager}`, "GET");
    expect(byManager.status).toBe(200);

    // a Cosmos event runs the workflow
    const { ids } = await cosmos.emit(1, Buffer.from(`{"x":3}`).toString("hex"));
    const execution = await waitUntil(
      async () => {
        const res = await api(`${node.url}/services/${serviceId}/executions`, "GET");
        const list = (
          res.json as {
            executions: { workflow_id: string; status: string; trigger_data: unknown }[];
          }
        ).executions;
        return list.find((e) => e.status === "succeeded");
      },
      "an execution of the Cosmos event",
      60_000,
    );
    expect(execution.workflow_id).toBe("first");
    const data = (
      execution.trigger_data as {
        CosmosContractEvent: { event: { attributes: { key: string; value: string }[] } };
      }
    ).CosmosContractEvent;
    expect(data.event.attributes).toContainEqual({ key: "id", value: String(ids[0]) });

    // live update: the manager's wavs-service-uri-updated event brings the new definition,
    // here with a block interval on the Cosmos chain too
    const tick = {
      trigger: { block_interval: { chain: cosmos.key, n_blocks: 3 } },
      component: componentJson(probeDigest),
      submit: "none",
    };
    await publish({ second: workflow(), tick }, "cosmos-managed-v2");
    const updated = await waitUntil(
      async () => {
        const now = await services();
        return now.services[0]?.name === "cosmos-managed-v2" ? now : undefined;
      },
      "the live update",
      60_000,
    );
    expect(Object.keys(updated.services[0]!.workflows).sort()).toEqual(["second", "tick"]);
    expect(updated.service_ids).toEqual([serviceId]);
    // the block interval fires every third Cosmos block
    const ticks = await waitUntil(
      async () => {
        const res = await api(`${node.url}/services/${serviceId}/executions?limit=100`, "GET");
        const heights = (
          res.json as { executions: { workflow_id: string; trigger_data: unknown }[] }
        ).executions
          .filter((e) => e.workflow_id === "tick")
          .map((e) =>
            Number(
              (e.trigger_data as { BlockInterval: { chain: string; block_height: number } })
                .BlockInterval.block_height,
            ),
          )
          .sort((a, b) => a - b);
        return heights.length >= 3 ? heights : undefined;
      },
      "three block-interval executions",
      60_000,
    );
    expect(ticks[1]! - ticks[0]!).toBe(3);
    expect(ticks[2]! - ticks[1]!).toBe(3);

    // opt out
    const removed = await api(`${node.url}/services`, "DELETE", {
      service_managers: [serviceManager],
    });
    expect(removed.status, removed.text).toBe(204);
    expect((await services()).services).toEqual([]);
  }, 240_000);

  it("refuses a Cosmos address that is not a service manager, naming the query", async () => {
    const res = await api(`${node.url}/services`, "POST", {
      service_manager: { cosmos: { chain: cosmos.key, address: cosmos.trigger } },
    });
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/wavs_service_uri/);
    // the node keeps serving
    expect((await api(`${node.url}/health`, "GET")).status).toBe(200);
  });
});
