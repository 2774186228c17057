// network_connection: a TCP connection or a connected UDP socket, IPv4 or IPv6, with the process that
// owns the socket (Sigma's Linux network_connection fields).
import type { EventBase, SigmaBool } from './event-base.ts';

export type NetworkConnectionEvent = EventBase & {
  kind: 'network_connection';
  Protocol: 'tcp' | 'udp';
  /** 'true' when this host opened the connection, 'false' when it accepted it. */
  Initiated: SigmaBool;
  SourceIp: string;
  SourcePort: number;
  SourceIsIpv6: SigmaBool;
  DestinationIp: string;
  DestinationPort: number;
  DestinationIsIpv6: SigmaBool;
  Image?: string;
  ProcessId?: number;
  ProcessGuid?: string;
  User?: string;
};
