"""TCP states (include/net/tcp_states.h) and the names ss prints for them."""
from __future__ import annotations

TCP_ESTABLISHED = 1
TCP_SYN_SENT = 2
TCP_SYN_RECV = 3
TCP_FIN_WAIT1 = 4
TCP_FIN_WAIT2 = 5
TCP_TIME_WAIT = 6
TCP_CLOSE = 7
TCP_CLOSE_WAIT = 8
TCP_LAST_ACK = 9
TCP_LISTEN = 10
TCP_CLOSING = 11

# iproute2's sstate_name (misc/ss.c)
SS_NAMES = {TCP_ESTABLISHED: "ESTAB", TCP_SYN_SENT: "SYN-SENT", TCP_SYN_RECV: "SYN-RECV",
            TCP_FIN_WAIT1: "FIN-WAIT-1", TCP_FIN_WAIT2: "FIN-WAIT-2", TCP_TIME_WAIT: "TIME-WAIT",
            TCP_CLOSE: "UNCONN", TCP_CLOSE_WAIT: "CLOSE-WAIT", TCP_LAST_ACK: "LAST-ACK",
            TCP_LISTEN: "LISTEN", TCP_CLOSING: "CLOSING"}
