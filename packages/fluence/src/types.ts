/**
 * Request and response shapes of the Fluence CPU Cloud API, as documented in fluencelabs/docs
 * `docs/build/api/cpu_cloud.md` (commit 1227924, 2026-02-20) with examples from b05f52c
 * (see /work/shared/notes/fluence.md). Money fields are decimal strings in USDC per epoch (24 h).
 */

/** A decimal amount as the API sends it, e.g. "3.50766" (USDC; per epoch unless the field says otherwise). */
export type DecimalString = string;

export interface StorageRequirement {
  supply: number;
  units: string; // "GiB"
  type: string; // "NVMe", "SSD", "HDD"
}

export interface HardwareFilter {
  cpu?: Array<{ manufacturer?: string; architecture?: string }>;
  memory?: Array<{ type?: string; generation?: string }>;
  storage?: Array<{ type?: string }>;
}

/** Body of POST /marketplace/offers and `constraints` of estimate/create. All fields optional. */
export interface OfferFilter {
  basicConfiguration?: string | null; // "cpu-4-ram-8gb-storage-25gb"
  /** Only honoured together with `hardware.storage`. */
  additionalResources?: { storage: StorageRequirement[] } | null;
  hardware?: HardwareFilter | null;
  datacenter?: { countries: string[] } | null;
  /** Max price per VM per epoch, USDC, decimal string. */
  maxTotalPricePerEpochUsd?: DecimalString | null;
}

export type ResourceType = "VCPU" | "RAM" | "STORAGE" | "PUBLIC_IP";

export interface Datacenter {
  countryCode: string;
  cityCode: string;
  cityIndex: number;
  tier: number;
  certifications: string[];
}

export interface Offer {
  configuration: { slug: string; price: DecimalString };
  resources: Array<{ type: ResourceType; metadata: Record<string, unknown>; price: DecimalString }>;
  datacenter: Datacenter;
  servers: Array<{
    availableBasicInstances: number;
    additionalResources: Array<{
      type: ResourceType;
      metadata: Record<string, unknown>;
      price: DecimalString;
      supply: number;
      units: string;
      perVmLimit: number;
    }>;
  }>;
  maxAdditionalSupply: unknown[];
}

export interface EstimateRequest {
  constraints?: OfferFilter | null;
  instances: number;
}

export interface EstimateResponse {
  /** Deposit charged on deploy (2 epochs: 1 charged, 1 held as reserve), USDC. */
  depositAmountUsdc: DecimalString;
  depositEpochs: number;
  totalPricePerEpoch: DecimalString;
  maxPricePerEpoch: DecimalString;
  instances: number;
}

export interface OpenPort {
  port: number;
  protocol: "tcp" | "udp";
}

export interface VmConfiguration {
  /** Alphanumerics and hyphens only. */
  name: string;
  hostname?: string;
  /** Only 22/tcp is open by default; 10250 is reserved. */
  openPorts: OpenPort[];
  /** Download URL of a .qcow2 .img .raw .raw.xz .raw.gz .img.xz or .img.gz image. */
  osImage: string;
  /** At least one: a raw public key or the name of a saved key. */
  sshKeys: string[];
  /**
   * NOT IN THE DOCUMENTED API. cloud-init user data. The docs at 1227924 list no user-data field
   * for POST /vms/v3; this name is a placeholder to confirm against the live OpenAPI spec
   * (https://api.fluence.dev/docs/fluence-public.yaml) before relying on it. Omitted unless set.
   */
  userData?: string;
}

export interface CreateVmsRequest {
  constraints?: OfferFilter | null;
  instances: number;
  vmConfiguration: VmConfiguration;
}

export interface CreatedVm {
  vmId: string;
  vmName: string;
}

export type VmStatus = "New" | "Launching" | "Active" | "SmallBalance" | "InsufficientFunds" | "Terminated" | "Stopped";

export interface VmResource {
  type: ResourceType;
  quantity?: number;
  supply?: number;
  units?: string;
  details?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** One element of GET /vms/v3. */
export interface Vm {
  id: string;
  vmName: string;
  status: VmStatus;
  pricePerEpoch: DecimalString;
  resources: VmResource[];
  createdAt: string;
  nextBillingAt: string;
  osImage: string;
  datacenter: Datacenter;
  /** null until the VM is Active. */
  publicIp: string | null;
  ports: OpenPort[];
  reservedBalance: DecimalString;
  totalSpent: DecimalString;
}

export interface VmUpdate {
  id: string;
  vmName?: string;
  /** The FULL list of ports to keep open: any port left out is closed (including 22). */
  openPorts?: OpenPort[];
}

export interface DefaultImage {
  id: string | number;
  name: string;
  distribution: string;
  slug: string;
  downloadUrl: string;
  username: string;
  [extra: string]: unknown;
}

/** CPU Cloud error body. */
export interface FluenceErrorBody {
  error: string;
}
