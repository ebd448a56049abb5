"""Userland tools (ip, route, arp, ping, tcpdump, sysctl, ...) over the simulated kernel."""
