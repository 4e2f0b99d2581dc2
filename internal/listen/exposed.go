package listen

import (
	"net"
	"strconv"
)

// Exposed reports whether listen is bound to an address other machines can
// reach: an unspecified one (0.0.0.0, ::) or any that is not loopback.
func (s *Server) Exposed() bool {
	ip := s.conns.Addr().(*net.TCPAddr).IP
	return !ip.IsLoopback()
}

// Addresses lists the URLs listen can be reached at: the bound address, or
// for an unspecified one one per address of the machine's interfaces. Go
// listens on IPv6 too for 0.0.0.0 (one dual-stack socket), so IPv6
// addresses are listed as well; link-local ones, which need a zone to be
// used, are left out.
func (s *Server) Addresses() []string {
	addr := s.conns.Addr().(*net.TCPAddr)
	port := strconv.Itoa(addr.Port)
	path := s.cfg.Path
	if path == "" {
		path = "/"
	}
	url := func(ip net.IP) string { return "http://" + net.JoinHostPort(ip.String(), port) + path }
	if !addr.IP.IsUnspecified() {
		return []string{url(addr.IP)}
	}
	ifaddrs, err := net.InterfaceAddrs()
	if err != nil {
		return []string{url(addr.IP)}
	}
	var out []string
	for _, a := range ifaddrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		out = append(out, url(ipn.IP))
	}
	if len(out) == 0 {
		out = append(out, url(addr.IP))
	}
	return out
}
