#!/bin/sh
# Starts the reference miner in its container from the environment the cloud-init writes
# (/etc/tensornode/miner.env, passed with docker --env-file):
#   PORT                              port to listen on (all interfaces inside the container)
#   TENSORNODE_DISPATCH_ACCOUNT       the network's dispatch account (only work it signed is accepted)
#   TENSORNODE_DISPATCH_PUBLIC_KEY    its public key, hex
#   TENSORNODE_DISPATCH_KEY_TYPE      ED25519 (default) or ECDSA_SECP256K1
#   TENSORNODE_MINER_CONFIG           optional JSON, a partial miner config (prices, limits)
#   TENSORNODE_LLM_MODEL              optional path of a GGUF file (mount it); default: the image's
#   TENSORNODE_LLM_MODEL_ID           optional id clients send as `model`
#   TENSORNODE_LLM_UPSTREAM           optional base URL of an OpenAI-compatible server (vLLM, Ollama,
#                                     llama.cpp's server) that serves the LLM instead of a GGUF
#   TENSORNODE_LLM_UPSTREAM_MODEL     optional upstream model name (default: the id, or the one it lists)
#   TENSORNODE_LLM_UPSTREAM_KEY       optional upstream API key; the miner reads it from its environment,
#                                     so it is never put on the command line
set -eu
: "${PORT:=8080}"
: "${TENSORNODE_DISPATCH_KEY_TYPE:=ED25519}"
if [ -z "${TENSORNODE_DISPATCH_ACCOUNT:-}" ] || [ -z "${TENSORNODE_DISPATCH_PUBLIC_KEY:-}" ]; then
  echo "miner: set TENSORNODE_DISPATCH_ACCOUNT and TENSORNODE_DISPATCH_PUBLIC_KEY (the network's dispatch account and key)" >&2
  exit 1
fi
set -- --host 0.0.0.0 --port "$PORT" \
  --dispatch-account "$TENSORNODE_DISPATCH_ACCOUNT" \
  --dispatch-key "$TENSORNODE_DISPATCH_PUBLIC_KEY" \
  --dispatch-key-type "$TENSORNODE_DISPATCH_KEY_TYPE"
if [ -n "${TENSORNODE_MINER_CONFIG:-}" ]; then
  config="$(mktemp)"
  printf '%s' "$TENSORNODE_MINER_CONFIG" > "$config"
  set -- "$@" --config "$config"
fi
if [ -n "${TENSORNODE_LLM_MODEL:-}" ]; then
  set -- "$@" --llm-model "$TENSORNODE_LLM_MODEL"
fi
if [ -n "${TENSORNODE_LLM_MODEL_ID:-}" ]; then
  set -- "$@" --llm-model-id "$TENSORNODE_LLM_MODEL_ID"
fi
if [ -n "${TENSORNODE_LLM_UPSTREAM:-}" ]; then
  set -- "$@" --llm-upstream "$TENSORNODE_LLM_UPSTREAM"
fi
if [ -n "${TENSORNODE_LLM_UPSTREAM_MODEL:-}" ]; then
  set -- "$@" --llm-upstream-model "$TENSORNODE_LLM_UPSTREAM_MODEL"
fi
exec node --import tsx packages/miner/src/cli.ts "$@"
