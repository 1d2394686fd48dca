// The mysql provider's connection path, reproduced: go-sql-driver/mysql with TLSConfig "true" (verify the
// chain and that the certificate names Addr's host) and a SOCKS5 dialer from golang.org/x/net/proxy registered
// for "tcp", as terraform-provider-mysql's providerConfigure does. Prints "OK Ssl_version <v>" or "ERROR: ...".
package main

import (
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"

	"github.com/go-sql-driver/mysql"
	"golang.org/x/net/proxy"
)

func main() {
	addr, user, pass, proxyURL := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	u, _ := url.Parse(proxyURL)
	dialer, err := proxy.FromURL(u, proxy.Direct)
	if err != nil {
		fmt.Println("proxy:", err)
		os.Exit(2)
	}
	mysql.RegisterDial("tcp", func(a string) (net.Conn, error) { return dialer.Dial("tcp", a) })
	conf := mysql.Config{User: user, Passwd: pass, Net: "tcp", Addr: addr, TLSConfig: "true", AllowNativePasswords: true}
	db, err := sql.Open("mysql", conf.FormatDSN())
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		fmt.Println("ERROR:", err)
		os.Exit(1)
	}
	var name, version string
	if err := db.QueryRow("SHOW SESSION STATUS LIKE 'Ssl_version'").Scan(&name, &version); err != nil {
		fmt.Println("ERROR:", err)
		os.Exit(1)
	}
	fmt.Println("OK", name, version)
}
