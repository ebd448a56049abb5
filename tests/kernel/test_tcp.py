"""TCP and UDP sockets on virtual time: the handshake's options, resets, TIME_WAIT, the
listen backlog, delayed ACKs, ICMP errors to connected sockets, and tcpdump's view."""
from __future__ import annotations

import struct

from tests.setups import PINNED_NS_PAIR
from vethtui.kernel import tcp_output
from vethtui.kernel.capture import Tap
from vethtui.kernel.inet import aton
from vethtui.kernel.sockets import SocketError
from vethtui.kernel.tcp import TCP_TIMEWAIT_LEN, TcpSock, inet_hashinfo
from vethtui.kernel.tcp_input import tcp_parse_options
from vethtui.kernel.tcp_states import (TCP_CLOSE, TCP_CLOSE_WAIT, TCP_ESTABLISHED, TCP_FIN_WAIT1,
                                       TCP_FIN_WAIT2, TCP_SYN_SENT, TCP_TIME_WAIT)
from vethtui.kernel.udp import UdpSock
from vethtui.tools.tcpdump import printer

SERVER = aton("192.168.2.12")


def _setup(sh):
    sh(*PINNED_NS_PAIR)
    return sh.net, sh.world.netns["ns1"], sh.world.sched


def _run(sched, cond, limit=5.0):
    sched.run_while(lambda: not cond(), limit=sched.now + limit)
    return cond()


def _frames(net):
    got = []
    Tap(net, None, got.append)
    return got


def _tcp(frame: bytes):
    """(flags, seq, ack, window, options, payload) of the TCP segment in an Ethernet frame."""
    ihl = (frame[14] & 0xF) * 4
    seg = frame[14 + ihl:]
    sport, dport, seq, ack, offfl, win = struct.unpack_from("!HHIIHH", seg)
    doff = (offfl >> 12) * 4
    return offfl & 0xFF, seq, ack, win, seg[20:doff], seg[doff:]


def test_handshake_as_linux_sends_it(sh):
    host, ns1, sched = _setup(sh)
    frames = _frames(host)
    listener = TcpSock(ns1)
    listener.bind(0, 1234)
    listener.listen(1)
    client = TcpSock(host)
    client.connect(SERVER, 1234)
    assert client.state == TCP_SYN_SENT
    assert _run(sched, lambda: client.state == TCP_ESTABLISHED and listener.accept_queue)
    segs = [_tcp(f.data) for f in frames if f.data[12:14] == b"\x08\x00"]
    syn, synack, ack = segs[:3]
    assert syn[0] == 0x02 and syn[3] == 64240              # 44 segments of 1460
    mss, wscale, sack_ok, tsval, tsecr, has_ts = tcp_parse_options(syn[4])
    assert (mss, wscale, sack_ok, has_ts, tsecr) == (1460, 10, True, True, 0)
    assert syn[4][:4] == b"\x02\x04\x05\xb4" and syn[4][4:6] == b"\x04\x02"   # mss, sackOK+TS
    assert synack[0] == 0x12 and synack[3] == 65160        # 45 segments of 1448 (TS in use)
    assert synack[2] == (syn[1] + 1) & 0xFFFFFFFF
    assert ack[0] == 0x10 and ack[3] == 63                 # 64240 >> 10, rounded up
    assert ack[4] == b"\x01\x01\x08\x0a" + ack[4][4:]        # nop, nop, TS
    server = listener.accept()
    assert server.state == TCP_ESTABLISHED and server.mss_cache == 1448


def test_closed_port_answers_with_a_reset(sh):
    host, ns1, sched = _setup(sh)
    frames = _frames(host)
    client = TcpSock(host)
    client.connect(SERVER, 81)
    assert _run(sched, lambda: client.state == TCP_CLOSE)
    assert client.sk_err == "ECONNREFUSED"
    syn, rst = [_tcp(f.data) for f in frames if f.data[12:14] == b"\x08\x00"]
    assert rst[0] == 0x14 and rst[1] == 0 and rst[2] == (syn[1] + 1) & 0xFFFFFFFF
    assert rst[3] == 0 and rst[4] == b""
    assert not inet_hashinfo(host).ehash


def _connected(sh):
    host, ns1, sched = _setup(sh)
    listener = TcpSock(ns1)
    listener.bind(0, 1234)
    listener.listen(5)
    client = TcpSock(host)
    client.connect(SERVER, 1234)
    assert _run(sched, lambda: listener.accept_queue)
    return host, ns1, sched, client, listener.accept()


def test_data_fin_and_time_wait_on_the_virtual_clock(sh):
    host, ns1, sched, client, server = _connected(sh)
    client.sendmsg(b"hello\n")
    client.shutdown_wr()
    assert _run(sched, lambda: server.rcv_shutdown)
    assert server.recvmsg() == b"hello\n" and server.recvmsg() == b""
    assert server.state == TCP_CLOSE_WAIT and client.state == TCP_FIN_WAIT1
    sched.run_due(sched.now + 0.05)         # the FIN's ACK waited for the delayed-ACK timer
    assert client.state == TCP_FIN_WAIT2
    server.close()
    assert _run(sched, lambda: client.state == TCP_TIME_WAIT and server.state == TCP_CLOSE)
    key = client.key()
    assert inet_hashinfo(host).ehash[key] is client
    sched.run_due(sched.now + TCP_TIMEWAIT_LEN - 1)
    assert client.state == TCP_TIME_WAIT
    sched.run_due(sched.now + 2)
    assert client.state == TCP_CLOSE and key not in inet_hashinfo(host).ehash


def test_fin_is_acknowledged_after_the_delayed_ack_timeout(sh):
    """A FIN in ESTABLISHED enters pingpong mode: if the application does not close, the
    ACK waits for the delayed-ACK timer (40 ms once data has been received)."""
    host, ns1, sched, client, server = _connected(sh)
    frames = _frames(ns1)
    client.sendmsg(b"x")
    assert _run(sched, lambda: server.rcv_buf)
    client.shutdown_wr()
    assert _run(sched, lambda: server.rcv_shutdown)
    fin_at = sched.now
    out = lambda: [f for f in frames if f.direction == "Out" and f.data[12:14] == b"\x08\x00"]
    sent = len(out())
    sched.run_due(sched.now + 0.039)
    assert len(out()) == sent
    sched.run_due(fin_at + 0.041)
    assert len(out()) == sent + 1 and _tcp(out()[-1].data)[0] == 0x10


def test_close_with_unread_data_resets(sh):
    host, ns1, sched, client, server = _connected(sh)
    client.sendmsg(b"unread")
    assert _run(sched, lambda: server.rcv_buf)
    server.close()
    assert _run(sched, lambda: client.state == TCP_CLOSE)
    assert client.sk_err == "ECONNRESET"


def test_listen_backlog_drops_the_syn_when_the_accept_queue_is_full(sh):
    host, ns1, sched = _setup(sh)
    listener = TcpSock(ns1)
    listener.bind(0, 1234)
    listener.listen(1)
    clients = [TcpSock(host) for _ in range(3)]
    for c in clients:
        c.connect(SERVER, 1234)
        sched.run_due(sched.now + 0.01)
    assert len(listener.accept_queue) == 2        # sk_acceptq_is_full: more than the backlog
    assert clients[2].state == TCP_SYN_SENT and clients[2].retransmits == 0
    sched.run_due(sched.now + 1.1)                # the SYN goes again after the 1 s RTO
    assert clients[2].retransmits == 1


def test_bind_refuses_a_port_in_use(sh):
    host, ns1, sched = _setup(sh)
    a = TcpSock(ns1)
    a.bind(0, 80)
    a.listen(5)
    b = TcpSock(ns1)
    try:
        b.bind(0, 80)
    except SocketError as err:
        assert err.errno == "EADDRINUSE"
    else:
        raise AssertionError("bind succeeded")


def test_select_window_rounds_up_to_the_scale_unit():
    class S:
        rcv_wnd = 64240
        rcv_wscale = 10
    assert tcp_output.tcp_select_window(S) == 63
    S.rcv_wnd, S.rcv_wscale = 65160, 10
    assert tcp_output.tcp_select_window(S) == 64
    S.rcv_wscale = 0
    assert tcp_output.tcp_select_window(S) == 65160


def test_udp_port_unreachable_reaches_a_connected_socket(sh):
    host, ns1, sched = _setup(sh)
    frames = _frames(host)
    s = UdpSock(host)
    s.connect(SERVER, 5000)
    s.sendto(b"ping\n")
    assert _run(sched, lambda: s.sk_err)
    assert s.sk_err == "ECONNREFUSED"
    try:
        s.sendto(b"again")
    except SocketError as err:
        assert err.errno == "ECONNREFUSED"
    else:
        raise AssertionError("the error was not reported")
    lines = [printer.summary(f.data) for f in frames if f.data[12:14] == b"\x08\x00"]
    assert lines[0].endswith("192.168.2.12.5000: UDP, length 5")
    assert lines[1] == ("IP 192.168.2.12 > 192.168.2.11: ICMP 192.168.2.12 udp port 5000 "
                        "unreachable, length 41")


def test_unconnected_udp_socket_does_not_hear_of_the_error(sh):
    host, ns1, sched = _setup(sh)
    s = UdpSock(host)
    s.sendto(b"x", SERVER, 5000)
    sched.run_due(sched.now + 0.1)
    assert s.sk_err == "" and s.sendto(b"y", SERVER, 5000) == 1


def test_udp_datagram_reaches_its_socket(sh):
    host, ns1, sched = _setup(sh)
    server = UdpSock(ns1)
    server.bind(0, 5000)
    client = UdpSock(host)
    client.sendto(b"hello", SERVER, 5000)
    assert _run(sched, lambda: server.rxq)
    src, sport, data = server.recvfrom()
    assert (src, sport, data) == (aton("192.168.2.11"), client.sport, b"hello")


def test_tcpdump_relative_sequence_numbers(sh):
    host, ns1, sched = _setup(sh)
    frames = _frames(host)
    listener = TcpSock(ns1)
    listener.bind(0, 80)
    listener.listen(1)
    client = TcpSock(host)
    client.connect(SERVER, 80)
    assert _run(sched, lambda: client.state == TCP_ESTABLISHED)
    client.sendmsg(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    sched.run_due(sched.now + 0.01)
    o = printer.PrintOpts()
    o.tcp_seq = {}
    lines = [printer.summary(f.data, o=o) for f in frames if f.data[12:14] == b"\x08\x00"]
    assert "Flags [S], seq " in lines[0] and ", ack" not in lines[0]
    assert "Flags [S.], seq " in lines[1] and f"ack {client.iss + 1}," in lines[1]
    assert "Flags [.], ack 1, win 63" in lines[2]
    assert "Flags [P.], seq 1:28, ack 1, win 63" in lines[3]
    assert lines[3].endswith("length 27: HTTP: GET / HTTP/1.1")
    absolute = printer.PrintOpts(absolute_seq=True)
    absolute.tcp_seq = {}
    assert f"seq {client.iss + 1}:" in [printer.summary(f.data, o=absolute) for f in frames
                                        if f.data[12:14] == b"\x08\x00"][3]


def test_nc_and_curl_words(sh):
    sh(*PINNED_NS_PAIR)
    r = sh("nc -zv 192.168.2.12 80")
    assert (r.output, r.status) == (
        "nc: connect to 192.168.2.12 port 80 (tcp) failed: Connection refused\n", 1)
    r = sh("curl -sS http://192.168.2.12/")
    assert r.status == 7 and r.output == ("curl: (7) Failed to connect to 192.168.2.12 port 80 "
                                          "after 0 ms: Couldn't connect to server\n")
    r = sh("curl -s -o /dev/null -w '%{http_code}\\n' http://192.168.2.12:8080/")
    assert (r.output, r.status) == ("000\n", 7)
    r = sh("curl -sS http://no.such.host/")
    assert (r.output, r.status) == ("curl: (6) Could not resolve host: no.such.host\n", 6)
    r = sh("nc 192.168.2.12")
    assert (r.output, r.status) == ("nc: missing port number\n", 1)


def test_http_server_and_curl_in_namespaces(sh):
    sh(*PINNED_NS_PAIR)
    sh("ip netns exec ns1 python3 -m http.server 80 > /dev/null 2>&1 &", "sleep 0.1")
    r = sh("curl -s -o /dev/null -w '%{http_code} %{size_download}\\n' "
           "http://192.168.2.12/missing")
    assert (r.output, r.status) == ("404 335\n", 0)
    r = sh("ss -tln")
    assert r.output == "State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
    r = sh("ip netns exec ns1 ss -tln")
    assert r.output.splitlines()[1].split() == ["LISTEN", "0", "5", "0.0.0.0:80", "0.0.0.0:*"]


def test_tcpdump_v_shows_the_partial_checksum_of_an_offloaded_segment(sh):
    """CHECKSUM_PARTIAL as over a veth: the pseudo-header's sum in the field, which
    tcpdump -v calls incorrect; the receiver accepts it."""
    host, ns1, sched = _setup(sh)
    frames = _frames(host)
    listener = TcpSock(ns1)
    listener.bind(0, 1234)
    listener.listen(1)
    client = TcpSock(host)
    client.connect(SERVER, 1234)
    assert _run(sched, lambda: client.state == TCP_ESTABLISHED)
    o = printer.PrintOpts(verbose=1)
    o.tcp_seq = {}
    syns = [printer.summary(f.data, o=o) for f in frames if f.data[12:14] == b"\x08\x00"]
    assert "Flags [S], cksum 0x" in syns[0] and "(incorrect -> 0x" in syns[0]


def test_jobs_and_kill_end_a_background_server(sh):
    sh(*PINNED_NS_PAIR)
    from vethtui.tools.shell import Session
    world = sh.world
    session = Session(world, world.init_net, script=False, tty=True)
    out: list[str] = []

    def run(line: str) -> str:
        out.clear()
        job = session.start(line, lambda _s, text: out.append(text))
        world.sched.run_while(lambda: not job.done, limit=world.sched.now + 5)
        world.sched.run_due(world.sched.now + 0.01)
        return "".join(out)

    assert run("nc -l -p 2000 &").startswith("[1] ")
    assert run("jobs") == "[1]+  Running                 nc -l -p 2000 &\n"
    assert inet_hashinfo(world.init_net).listening
    assert run("kill %1") == "[1]+  Terminated              nc -l -p 2000\n"
    assert not inet_hashinfo(world.init_net).listening
    assert run("kill %1") == "bash: kill: %1: no such job\n"
