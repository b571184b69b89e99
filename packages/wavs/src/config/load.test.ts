import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { errorOf, makeTree, TEST_MNEMONIC } from "../../test/helpers/test-config.js";
import { configSearchPaths, type LoadConfigOptions, loadConfig } from "./load.js";

type Tree = ReturnType<typeof makeTree>;

/** Load with the tree's home and cwd and only the given env (never the real one). */
function load(tree: Tree, options: Partial<LoadConfigOptions> = {}) {
  return loadConfig({
    section: "wavs",
    cwd: tree.cwd,
    ...options,
    env: { HOME: tree.userHome, ...options.env },
  });
}

/** The message of the error thrown when loading, with the temp root replaced by `<root>`. */
function loadError(tree: Tree, options: Partial<LoadConfigOptions> = {}): string {
  return errorOf(() => load(tree, options)).message.replaceAll(tree.root, "<root>");
}

describe("search order", () => {
  it("uses defaults when no wavs.toml exists anywhere", () => {
    const tree = makeTree();
    const { config, file } = load(tree);
    expect(file).toBeUndefined();
    expect(config.port).toBe(8000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.log_level).toBe("info");
    expect(config.data).toBe(join(tree.userHome, ".wavs", "data"));
    expect(config.p2p).toEqual({ type: "disabled" });
    expect(config.chains).toEqual({ evm: {}, cosmos: {} });
    expect(config.wavs_endpoint).toBe("http://127.0.0.1:8000");
    expect(config.json).toBe(false);
  });

  it("lists home, cwd, ~/.wavs, $XDG_CONFIG_HOME/wavs, ~/.config/wavs, /etc/wavs in order", () => {
    const paths = configSearchPaths({
      home: "/h",
      cwd: "/c",
      userHome: "/u",
      env: { XDG_CONFIG_HOME: "/x" },
    });
    expect(paths).toEqual([
      "/h/wavs.toml",
      "/c/wavs.toml",
      "/u/.wavs/wavs.toml",
      "/x/wavs/wavs.toml",
      "/u/.config/wavs/wavs.toml",
      "/etc/wavs/wavs.toml",
    ]);
  });

  it("takes the first file found: --home, then WAVS_HOME, cwd, ~/.wavs, XDG, ~/.config/wavs", () => {
    const tree = makeTree({
      "flag-home/wavs.toml": "[wavs]\nport = 1",
      "env-home/wavs.toml": "[wavs]\nport = 2",
      "work/wavs.toml": "[wavs]\nport = 3",
      "home/.wavs/wavs.toml": "[wavs]\nport = 4",
      "xdg/wavs/wavs.toml": "[wavs]\nport = 5",
      "home/.config/wavs/wavs.toml": "[wavs]\nport = 6",
    });
    const env = { WAVS_HOME: join(tree.root, "env-home"), XDG_CONFIG_HOME: join(tree.root, "xdg") };
    const home = join(tree.root, "flag-home");
    expect(load(tree, { home, env }).config.port).toBe(1);
    expect(load(tree, { env }).config.port).toBe(2);
    expect(load(tree, { env: { ...env, WAVS_HOME: undefined } }).config.port).toBe(3);
    const noCwd = { ...tree, cwd: join(tree.root, "elsewhere") };
    expect(load(noCwd, { env: { XDG_CONFIG_HOME: env.XDG_CONFIG_HOME } }).config.port).toBe(4);
  });

  it("falls through to $XDG_CONFIG_HOME/wavs and then ~/.config/wavs", () => {
    const tree = makeTree({
      "xdg/wavs/wavs.toml": "[wavs]\nport = 5",
      "home/.config/wavs/wavs.toml": "[wavs]\nport = 6",
    });
    const loaded = load(tree, { env: { XDG_CONFIG_HOME: join(tree.root, "xdg") } });
    expect(loaded.config.port).toBe(5);
    expect(loaded.file).toBe(join(tree.root, "xdg/wavs/wavs.toml"));
    expect(load(tree).config.port).toBe(6);
  });

  it("expands ~ in --home and reads --home from the flags too", () => {
    const tree = makeTree({ "home/node/wavs.toml": "[wavs]\nport = 7" });
    expect(load(tree, { home: "~/node" }).config.port).toBe(7);
    expect(load(tree, { flags: { home: "~/node" } }).config.port).toBe(7);
  });
});

describe("sections", () => {
  const toml = `
[default]
port = 9000
log_level = "warn"
ipfs_gateway = "https://ipfs.io/ipfs/"

[default.chains.evm.31337]
ws_endpoints = ["ws://localhost:8545"]
http_endpoint = "http://localhost:8545"

[default.chains.evm.1]
http_endpoint = "https://eth.example.com"

[wavs]
port = 9001

[wavs.chains.evm.31337]
http_endpoint = "http://anvil:8545"

[cli]
wavs_endpoint = "http://node:9001"
json = true

[aggregator]
anything = "is not read"
`;

  it("[wavs] overrides [default] for the node; chains merge chain by chain, key by key", () => {
    const tree = makeTree({ "work/wavs.toml": toml });
    const { config, file } = load(tree);
    expect(file).toBe(join(tree.cwd, "wavs.toml"));
    expect(config.port).toBe(9001);
    expect(config.log_level).toBe("warn");
    expect(config.ipfs_gateway).toBe("https://ipfs.io/ipfs/");
    expect(config.wavs_endpoint).toBe("http://127.0.0.1:8000");
    expect(config.json).toBe(false);
    expect(config.chains.evm).toEqual({
      "31337": {
        ws_endpoints: ["ws://localhost:8545"],
        http_endpoint: "http://anvil:8545",
        confirmations: 0,
        poll_interval_ms: 1000,
        max_log_range: 1000,
        logs_bloom: true,
      },
      "1": {
        ws_endpoints: [],
        http_endpoint: "https://eth.example.com",
        confirmations: 0,
        poll_interval_ms: 1000,
        max_log_range: 1000,
        logs_bloom: true,
      },
    });
  });

  it("[cli] overrides [default] for the CLI and ignores [wavs]", () => {
    const tree = makeTree({ "work/wavs.toml": toml });
    const { config } = load(tree, { section: "cli" });
    expect(config.port).toBe(9000);
    expect(config.wavs_endpoint).toBe("http://node:9001");
    expect(config.json).toBe(true);
    expect(config.chains.evm["31337"]?.http_endpoint).toBe("http://localhost:8545");
  });

  it("merges the aggregator table key by key: [default], [wavs], then WAVS_AGGREGATOR", () => {
    const tree = makeTree({
      "work/wavs.toml": `[default.aggregator]
grace_period_ms = 5000
settle_ms = 500

[wavs.aggregator]
settle_ms = 250
`,
    });
    expect(load(tree).config.aggregator).toMatchObject({
      grace_period_ms: 5000,
      settle_ms: 250,
      tx_poll_ms: 250,
    });
    const env = { WAVS_AGGREGATOR: '{"tx_poll_ms": 100}' };
    expect(load(tree, { env }).config.aggregator).toMatchObject({
      grace_period_ms: 5000,
      settle_ms: 250,
      tx_poll_ms: 100,
    });
    const typo = makeTree({ "work/wavs.toml": "[wavs.aggregator]\ngrace_period = 1" });
    expect(loadError(typo)).toMatchInlineSnapshot(
      `"wavs.toml [wavs] aggregator: unknown key "grace_period" (did you mean "grace_period_ms"?)"`,
    );
  });

  it("refuses aggregator settings written in the reference aggregator's [aggregator] section", () => {
    const tree = makeTree({ "work/wavs.toml": "[aggregator]\ngrace_period_ms = 5000" });
    expect(loadError(tree)).toMatchInlineSnapshot(
      `"wavs.toml: grace_period_ms in [aggregator] is not read ([aggregator] is the reference aggregator's own section)"`,
    );
  });

  it("resolves a relative data path against the file's directory", () => {
    const tree = makeTree({ "home/.wavs/wavs.toml": '[wavs]\ndata = "state"' });
    expect(load(tree).config.data).toBe(join(tree.userHome, ".wavs", "state"));
    expect(load(tree, { env: { WAVS_DATA: "rel" } }).config.data).toBe(join(tree.cwd, "rel"));
    expect(load(tree, { env: { WAVS_DATA: "~/d" } }).config.data).toBe(join(tree.userHome, "d"));
  });
});

describe("precedence: flag > env > file > default", () => {
  const tree = () => makeTree({ "work/wavs.toml": '[wavs]\nport = 9000\nhost = "0.0.0.0"' });

  it("env beats the file, flags beat env", () => {
    const t = tree();
    expect(load(t).config.port).toBe(9000);
    expect(load(t, { env: { WAVS_PORT: "9100" } }).config.port).toBe(9100);
    expect(load(t, { env: { WAVS_PORT: "9100" }, flags: { port: 9200 } }).config.port).toBe(9200);
    expect(load(t, { env: { WAVS_PORT: "9100" } }).config.host).toBe("0.0.0.0");
  });

  it("reads flags in camelCase, snake_case or kebab-case, and skips unrelated or unset ones", () => {
    const t = tree();
    const { config } = load(t, {
      flags: {
        maxBodySizeMb: "20",
        dev_endpoints_enabled: true,
        "engine-pool-size": 2,
        logLevel: undefined,
        component: "x.wasm",
      },
    });
    expect(config.max_body_size_mb).toBe(20);
    expect(config.dev_endpoints_enabled).toBe(true);
    expect(config.engine_pool_size).toBe(2);
    expect(config.log_level).toBe("info");
  });

  it("WAVS_CLI_<FIELD> beats WAVS_<FIELD> for the CLI only", () => {
    const t = tree();
    const env = { WAVS_LOG_LEVEL: "warn", WAVS_CLI_LOG_LEVEL: "debug" };
    expect(load(t, { env, section: "cli" }).config.log_level).toBe("debug");
    expect(load(t, { env }).config.log_level).toBe("warn");
  });

  it("treats an empty variable as unset", () => {
    expect(load(tree(), { env: { WAVS_PORT: "" } }).config.port).toBe(9000);
  });
});

describe("type coercion from text", () => {
  it("coerces numbers, booleans, lists, u64 and JSON tables", () => {
    const tree = makeTree();
    const { config } = load(tree, {
      env: {
        WAVS_PORT: " 8080 ",
        WAVS_MAX_BODY_SIZE_MB: "2.5",
        WAVS_DEV_ENDPOINTS_ENABLED: "yes",
        WAVS_JSON: "0",
        WAVS_CORS_ALLOWED_ORIGINS: "https://a.example, http://localhost:*,",
        WAVS_MAX_WASM_FUEL: "18446744073709551615",
        WAVS_P2P:
          '{"remote": {"listen_port": 9000, "bootstrap_nodes": ["/ip4/10.0.0.1/tcp/9000"]}}',
        WAVS_CHAINS: '{"evm": {"31337": {"http_endpoint": "http://localhost:8545"}}}',
        WAVS_LOG_LEVEL: "info, wavs=debug, hyper=warn",
      },
    });
    expect(config.port).toBe(8080);
    expect(config.max_body_size_mb).toBe(2.5);
    expect(config.dev_endpoints_enabled).toBe(true);
    expect(config.json).toBe(false);
    expect(config.cors_allowed_origins).toEqual(["https://a.example", "http://localhost:*"]);
    expect(config.max_wasm_fuel).toBe(18446744073709551615n);
    expect(config.p2p).toEqual({
      type: "remote",
      listen_port: 9000,
      bootstrap_nodes: ["/ip4/10.0.0.1/tcp/9000"],
    });
    expect(Object.keys(config.chains.evm)).toEqual(["31337"]);
    expect(config.log_level).toBe("debug");
  });

  it('accepts p2p = "disabled" from env, and TOML integers too large for a number', () => {
    const tree = makeTree({
      "work/wavs.toml":
        "[wavs]\nmax_wasm_fuel = 18446744073709551615\np2p = { local = { listen_port = 0 } }",
    });
    expect(load(tree).config.max_wasm_fuel).toBe(18446744073709551615n);
    expect(load(tree).config.p2p).toEqual({ type: "local", listen_port: 0 });
    expect(load(tree, { env: { WAVS_P2P: "disabled" } }).config.p2p).toEqual({ type: "disabled" });
  });
});

describe("errors say where, what was found and what was expected", () => {
  it("names the file and section of a bad value", () => {
    const tree = makeTree({ "work/wavs.toml": '[wavs]\nport = "eighty"' });
    const err = errorOf(() => load(tree));
    expect(err.code).toBe("WAVS_ERR_CONFIG_INVALID");
    expect(err.message).toMatchInlineSnapshot(
      `"wavs.toml [wavs] port: expected a number, found "eighty""`,
    );
    expect(err.hint?.replaceAll(tree.root, "<root>")).toMatchInlineSnapshot(
      `"Fix it in <root>/work/wavs.toml; every field is described in docs/configuration.md."`,
    );
    expect(err.details).toMatchObject({ file: join(tree.cwd, "wavs.toml"), section: "wavs" });
  });

  it("names the env var or flag of a bad value", () => {
    const tree = makeTree();
    expect(loadError(tree, { env: { WAVS_PORT: "x" } })).toMatchInlineSnapshot(
      `"WAVS_PORT: expected a number, found "x""`,
    );
    expect(errorOf(() => load(tree, { env: { WAVS_PORT: "x" } })).hint).toMatchInlineSnapshot(
      `"Fix or unset the environment variable WAVS_PORT (it may come from a .env file); every field is described in docs/configuration.md."`,
    );
    expect(loadError(tree, { flags: { port: "70000" } })).toMatchInlineSnapshot(
      `"--port: expected an integer from 0 to 65535, found 70000"`,
    );
    expect(loadError(tree, { env: { WAVS_DEV_ENDPOINTS_ENABLED: "maybe" } })).toMatchInlineSnapshot(
      `"WAVS_DEV_ENDPOINTS_ENABLED: expected true or false, found "maybe""`,
    );
    expect(loadError(tree, { env: { WAVS_P2P: '{"local": {"port": 1}}' } })).toMatchInlineSnapshot(
      `"WAVS_P2P local: unknown key "port" (expected listen_port) (and 1 more problem)"`,
    );
    expect(loadError(tree, { env: { WAVS_P2P: "{not json" } })).toMatchInlineSnapshot(
      `"WAVS_P2P: is not valid JSON (expected a JSON table)"`,
    );
    expect(loadError(tree, { env: { WAVS_LOG_LEVEL: "verbose" } })).toMatchInlineSnapshot(
      `"WAVS_LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent"`,
    );
  });

  it("names the place inside a JSON value from env", () => {
    const tree = makeTree();
    const chains = '{"evm": {"31337": {"ws_endpoints": ["http://x"]}}, "cosmoss": {}}';
    expect(
      errorOf(() => load(tree, { env: { WAVS_CHAINS: chains } })).details?.problems,
    ).toMatchInlineSnapshot(`
        [
          "WAVS_CHAINS: unknown key "cosmoss" (did you mean "cosmos"?)",
          "WAVS_CHAINS evm.31337.ws_endpoints[0]: expected a URL starting with ws:// or wss://, found "http://x"",
        ]
      `);
    expect(loadError(tree, { env: { WAVS_MAX_WASM_FUEL: "lots" } })).toMatchInlineSnapshot(
      `"WAVS_MAX_WASM_FUEL: expected an integer from 1 to 18446744073709551615, found "lots""`,
    );
  });

  it("rejects unknown keys with a suggestion, naming the section they are in", () => {
    const tree = makeTree({ "work/wavs.toml": '[default]\nprot = 1\n[wavs]\nhots = "x"' });
    const err = errorOf(() => load(tree));
    expect(err.message).toMatchInlineSnapshot(
      `"wavs.toml [default]: unknown key "prot" (did you mean "port"?) (and 1 more problem)"`,
    );
    expect(err.details?.problems).toMatchInlineSnapshot(`
      [
        "wavs.toml [default]: unknown key "prot" (did you mean "port"?)",
        "wavs.toml [wavs]: unknown key "hots" (did you mean "host"?)",
      ]
    `);
  });

  it("rejects unknown keys in chain tables and p2p", () => {
    const evm = makeTree({
      "work/wavs.toml": '[default.chains.evm.31337]\nws_endpoint = "ws://localhost:8545"',
    });
    expect(loadError(evm)).toMatchInlineSnapshot(
      `"wavs.toml [default.chains.evm.31337]: unknown key "ws_endpoint" (did you mean "ws_endpoints"?) (and 1 more problem)"`,
    );
    const ns = makeTree({ "work/wavs.toml": "[default.chains.solana.main]\nx = 1" });
    expect(loadError(ns)).toMatchInlineSnapshot(
      `"wavs.toml [default.chains]: unknown key "solana" (expected evm, cosmos)"`,
    );
    const p2p = makeTree({ "work/wavs.toml": "[wavs]\np2p = { local = { listen_prt = 1 } }" });
    expect(loadError(p2p)).toMatchInlineSnapshot(
      `"wavs.toml [wavs] p2p.local: unknown key "listen_prt" (did you mean "listen_port"?) (and 1 more problem)"`,
    );
  });

  it("rejects unknown sections and keys outside sections", () => {
    expect(loadError(makeTree({ "work/wavs.toml": "[wavz]\nport = 1" }))).toMatchInlineSnapshot(
      `"wavs.toml: unknown section [wavz] (did you mean [wavs]?)"`,
    );
    expect(loadError(makeTree({ "work/wavs.toml": "port = 1" }))).toMatchInlineSnapshot(
      `"wavs.toml: key "port" is outside any section"`,
    );
    expect(loadError(makeTree({ "work/wavs.toml": "wavs = 1" }))).toMatchInlineSnapshot(
      `"wavs.toml: [wavs] must be a table"`,
    );
  });

  it("reports bad chain tables at the table the user wrote", () => {
    const tree = makeTree({
      "work/wavs.toml": [
        "[default.chains.evm.31337]",
        'ws_endpoints = ["http://localhost:8545"]',
        "[default.chains.evm.1]",
        "confirmations = 2",
        '[default.chains.evm."bad id"]',
        'http_endpoint = "http://x"',
        "[default.chains.cosmos.wasmd-1]",
        'rpc_endpoint = "http://localhost:26657"',
        "gas_price = 0.025",
      ].join("\n"),
    });
    const err = errorOf(() => load(tree));
    expect(err.message).toMatchInlineSnapshot(
      `"wavs.toml [default.chains.evm.1]: needs ws_endpoints or http_endpoint (or both) (and 4 more problems)"`,
    );
    expect(err.details?.problems).toMatchInlineSnapshot(`
      [
        "wavs.toml [default.chains.evm.1]: needs ws_endpoints or http_endpoint (or both)",
        "wavs.toml [default.chains.evm.31337] ws_endpoints[0]: expected a URL starting with ws:// or wss://, found "http://localhost:8545"",
        "wavs.toml [default.chains.evm."bad id"]: "bad id" is not a chain id (1 to 32 characters of a-z, A-Z, 0-9, _ and -)",
        "wavs.toml [default.chains.cosmos.wasmd-1] bech32_prefix: missing (expected a string)",
        "wavs.toml [default.chains.cosmos.wasmd-1] gas_denom: missing (expected a string)",
      ]
    `);
  });

  it("reports TOML syntax errors by line without quoting the file", () => {
    const tree = makeTree({
      "work/wavs.toml": `[wavs]\nsigning_mnemonic = "${TEST_MNEMONIC}\nport = 1`,
    });
    const message = loadError(tree);
    expect(message).toMatchInlineSnapshot(
      `"wavs.toml line 2, column 80: control characters are not allowed in strings"`,
    );
    expect(message).not.toContain("junk");
  });
});

describe(".env", () => {
  it("is read from cwd and never overrides variables already set", () => {
    const tree = makeTree({ "work/.env": "WAVS_PORT=9100\nWAVS_HOST=0.0.0.0\nWAVS_ENV_KEY=abc" });
    const loaded = load(tree, { env: { WAVS_HOST: "10.0.0.1" } });
    expect(loaded.config.port).toBe(9100);
    expect(loaded.config.host).toBe("10.0.0.1");
    expect(loaded.env.WAVS_ENV_KEY).toBe("abc");
  });

  it("leaves the given environment untouched", () => {
    const tree = makeTree({ "work/.env": "WAVS_PORT=9100" });
    const env = { HOME: tree.userHome };
    loadConfig({ section: "wavs", cwd: tree.cwd, env });
    expect(env).toEqual({ HOME: tree.userHome });
  });

  it("is read from the home dir before the cwd, and can set WAVS_HOME", () => {
    const tree = makeTree({
      "node/.env": "WAVS_PORT=1111",
      "node/wavs.toml": '[wavs]\nhost = "0.0.0.0"',
      "work/.env": `WAVS_PORT=2222\nWAVS_HOME=../node\nWAVS_JSON=true`,
    });
    const fromFlag = load(tree, { home: join(tree.root, "node") });
    expect(fromFlag.config.port).toBe(1111);
    expect(fromFlag.config.json).toBe(true);
    const fromDotenv = load(tree);
    expect(fromDotenv.file).toBe(join(tree.root, "node", "wavs.toml"));
    expect(fromDotenv.config.host).toBe("0.0.0.0");
    expect(fromDotenv.config.port).toBe(2222);
  });

  it("names the .env file and line of a malformed line", () => {
    const tree = makeTree({ "work/.env": "WAVS_PORT=1\nthis is not an assignment" });
    expect(loadError(tree)).toMatchInlineSnapshot(`"<root>/work/.env line 2: expected KEY=VALUE"`);
  });
});

describe("secrets are never echoed in errors", () => {
  it("does not quote a malformed mnemonic, credential or token", () => {
    const tree = makeTree();
    const badMnemonic = "test test test test test test test test test test test test";
    const badWord = "test test test test test test test test test test test jank";
    const badKey = `0x${"ab".repeat(31)}zz`;
    const cases = [
      { WAVS_SIGNING_MNEMONIC: badMnemonic },
      { WAVS_SIGNING_MNEMONIC: badWord },
      { WAVS_SIGNING_MNEMONIC: "hunter2" },
      { WAVS_AGGREGATOR_EVM_CREDENTIAL: badKey },
      { WAVS_AGGREGATOR_EVM_CREDENTIAL: badWord },
      { WAVS_BEARER_TOKEN: "secret token" },
    ];
    const messages = cases.map((env) => {
      const err = errorOf(() => load(tree, { env }));
      const everything = JSON.stringify({
        message: err.message,
        details: err.details,
        hint: err.hint,
      });
      for (const secret of Object.values(env)) {
        expect(everything).not.toContain(secret);
        expect(everything).not.toContain("jank");
        expect(everything).not.toContain("hunter2");
        expect(everything).not.toContain("ab".repeat(31));
      }
      return err.message;
    });
    expect(messages).toMatchInlineSnapshot(`
      [
        "WAVS_SIGNING_MNEMONIC: is not a valid BIP-39 mnemonic: checksum does not match (a word is probably mistyped or out of order)",
        "WAVS_SIGNING_MNEMONIC: is not a valid BIP-39 mnemonic: word 12 is not in the BIP-39 English word list",
        "WAVS_SIGNING_MNEMONIC: is not a valid BIP-39 mnemonic: has 1 word (expected 12, 15, 18, 21 or 24)",
        "WAVS_AGGREGATOR_EVM_CREDENTIAL: is not a valid private key: expected 64 hex digits after 0x, found characters that are not hex digits",
        "WAVS_AGGREGATOR_EVM_CREDENTIAL: is neither a 0x private key nor a valid BIP-39 mnemonic: word 12 is not in the BIP-39 English word list",
        "WAVS_BEARER_TOKEN: may only contain printable ASCII characters, without spaces",
      ]
    `);
  });

  it("does not quote a secret of the wrong type from the file", () => {
    const tree = makeTree({ "work/wavs.toml": "[wavs]\nbearer_token = 123456789" });
    const message = loadError(tree);
    expect(message).toMatchInlineSnapshot(
      `"wavs.toml [wavs] bearer_token: expected a string, found a number"`,
    );
    expect(message).not.toContain("123456789");
  });

  it("removes credentials from quoted endpoint URLs", () => {
    const tree = makeTree({
      "work/wavs.toml":
        '[default.chains.evm.1]\nhttp_endpoint = "htps://user:pa55@rpc.example.com/?apikey=k3y"',
    });
    const message = loadError(tree);
    expect(message).toMatchInlineSnapshot(
      `"wavs.toml [default.chains.evm.1] http_endpoint: expected a URL starting with http:// or https://, found "htps://[redacted]@rpc.example.com/?apikey=[redacted]""`,
    );
    expect(message).not.toContain("pa55");
    expect(message).not.toContain("k3y");
  });

  it("accepts and normalizes valid secrets", () => {
    const tree = makeTree();
    const { config } = load(tree, {
      env: {
        WAVS_SIGNING_MNEMONIC: `  ${TEST_MNEMONIC.replaceAll(" ", "\n ")} `,
        WAVS_AGGREGATOR_EVM_CREDENTIAL: `0x${"AB".repeat(32)}`,
        WAVS_BEARER_TOKEN: "t0ken",
      },
    });
    expect(config.signing_mnemonic).toBe(TEST_MNEMONIC);
    expect(config.aggregator_evm_credential).toBe(`0x${"ab".repeat(32)}`);
    expect(config.bearer_token).toBe("t0ken");
  });
});
