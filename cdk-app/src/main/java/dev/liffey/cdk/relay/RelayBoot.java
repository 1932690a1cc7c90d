package dev.liffey.cdk.relay;

import dev.liffey.cdk.fleet.AgentService;
import dev.liffey.cdk.fleet.BootCompletion;
import dev.liffey.cdk.fleet.ControlTableRef;
import dev.liffey.cdk.fleet.UserDataScript;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awscdk.services.ec2.UserData;

/**
 * What a relay does at first boot (Debian 12): installs Janus, coturn, Java 17 and the AWS CLI,
 * writes Janus's configuration (the streaming plugin's one live mountpoint, HTTP and admin APIs on
 * 127.0.0.1 only, the sample event handler posting to the agent, ICE media on {@link
 * RelayStack#MEDIA_UDP_PORTS_FROM}-{@link RelayStack#MEDIA_UDP_PORTS_TO} advertised at the relay's
 * public address), runs coturn as the region's TURN server (TURN REST API credentials checked with
 * the region's shared secret, relay ports {@link RelayStack#TURN_RELAY_PORTS_FROM}-{@link
 * RelayStack#TURN_RELAY_PORTS_TO} at the relay's public address, no peers in private or link-local
 * ranges), downloads the edge agent's jar, and runs it as {@code liffey-edge.service}.
 *
 * <p>Auto Scaling holds every relay at launch, and again when it leaves the warm pool, until the
 * relay completes the launch hook {@link RelayStack#BOOT_HOOK_NAME}: {@code
 * liffey-boot-complete.service} does that on every boot once the agent and Janus answer, and the
 * boot script enables it last, so a relay whose install failed is abandoned, never stopped into the
 * pool half-installed.
 *
 * <p>A relay from the warm pool was booted once, then stopped; EC2 gives it a new public address
 * when it starts again, and viewers' token keys or the TURN secret may have changed meanwhile. So
 * the address, the keys and the secret are read before every start of Janus, coturn and the agent,
 * by scripts written here, not only once.
 */
final class RelayBoot {
  static final String AGENT_JAR = "/opt/liffey/liffey-edge.jar";
  static final String ADMIN_SECRET_FILE = "/etc/liffey/janus-admin-secret";
  static final String TOKEN_KEYS_DIR = "/etc/liffey/tokens";

  /**
   * The region's TURN shared secret, as {@code liffey-turn-secret} writes it before every start of
   * coturn and of the agent: root's, readable by the agent's group ({@code liffey}), mode 640.
   */
  static final String TURN_SECRET_FILE = "/etc/liffey/turn-secret";

  static final int JANUS_HTTP_PORT = 8088;
  static final int JANUS_ADMIN_PORT = 7088;
  static final int LIVE_MOUNTPOINT_ID = 1;
  static final String LIVE_STREAM = "live";

  /**
   * How long, from its start, {@code liffey-boot-complete} waits for the agent's {@code /health}
   * and Janus's API to answer before it gives up and leaves the boot hook to abandon the relay.
   */
  static final int READY_WAIT_SECONDS = 120;

  private static final String LIBS = "/usr/lib/x86_64-linux-gnu/janus";

  /**
   * Plugins, transports, loggers and event handlers Debian's janus ships that a relay never uses.
   */
  private static final String UNUSED_PLUGINS =
      "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,"
          + "libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_textroom.so,"
          + "libjanus_videocall.so,libjanus_videoroom.so,libjanus_voicemail.so";

  private static final String UNUSED_TRANSPORTS =
      "libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so,"
          + "libjanus_websockets.so";

  private static final String UNUSED_EVENT_HANDLERS =
      "libjanus_gelfevh.so,libjanus_mqttevh.so,libjanus_nanomsgevh.so,libjanus_rabbitmqevh.so,"
          + "libjanus_wsevh.so";

  /**
   * Peers coturn never relays to, so TURN cannot reach the VPC, the instance metadata service or
   * the relay itself: "this" network, the private ranges, shared address space (a VPC may use it),
   * loopback and link-local.
   */
  private static final List<String> DENIED_PEERS =
      List.of(
          "0.0.0.0-0.255.255.255",
          "10.0.0.0-10.255.255.255",
          "100.64.0.0-100.127.255.255",
          "127.0.0.0-127.255.255.255",
          "169.254.0.0-169.254.255.255",
          "172.16.0.0-172.31.255.255",
          "192.168.0.0-192.168.255.255");

  /**
   * The relays' TURN: where viewers reach it and what it checks their credentials with.
   *
   * @param regionalName the region's name (the media load balancer), also coturn's realm
   * @param secretArn the region's TURN shared secret in Secrets Manager (tokens allowed)
   */
  record Turn(String regionalName, String secretArn) {}

  /**
   * How the relays pack their joins.
   *
   * @param packTo the viewers a relay is filled to before the next takes any ({@code --pack-to})
   * @param belowMillis the viewers' round-trip p95 at which a relay counts as full however few it
   *     holds ({@code --pack-below-ms})
   */
  record Pack(int packTo, long belowMillis) {}

  private RelayBoot() {}

  /**
   * @param regionId the relay's region, the agent's {@code --region}
   * @param markets the markets the region serves, the agent's {@code --market}
   * @param drainMax how long a terminating relay waits for its viewers ({@code --drain-max})
   * @param agentJarS3Url where the agent's jar was published ({@code s3://bucket/key}, tokens
   *     allowed)
   * @param turn the region's TURN name and secret
   * @param pack how full the agent fills a relay before the next takes a join
   */
  static UserData userData(
      String regionId,
      List<Market> markets,
      Duration drainMax,
      String agentJarS3Url,
      Turn turn,
      ControlTableRef table,
      Pack pack) {
    return UserDataScript.of(script(regionId, markets, drainMax, agentJarS3Url, turn, table, pack));
  }

  /** The launch hook's completer: the agent's /health (200, or 503 draining) and Janus's API. */
  static BootCompletion.Spec bootCompletion(String regionId) {
    return new BootCompletion.Spec(
        "relay",
        RelayStack.BOOT_HOOK_NAME,
        regionId,
        """
          local code
          code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:{{AGENT_PORT}}{{HEALTH}} || true)
          [[ $code == 200 || $code == 503 ]] \\
            && curl -fs -o /dev/null http://127.0.0.1:{{JANUS_HTTP}}/janus/info
        """
            .replace("{{AGENT_PORT}}", String.valueOf(RelayStack.SIGNALLING_PORT))
            .replace("{{HEALTH}}", RelayStack.HEALTH_PATH)
            .replace("{{JANUS_HTTP}}", String.valueOf(JANUS_HTTP_PORT)),
        "agent or Janus",
        READY_WAIT_SECONDS,
        "janus.service liffey-edge.service");
  }

  /** The boot script, without the shebang {@link UserData#forLinux()} adds. */
  static String script(
      String regionId,
      List<Market> markets,
      Duration drainMax,
      String agentJarS3Url,
      Turn turn,
      ControlTableRef table,
      Pack pack) {
    String marketFlag =
        markets.isEmpty()
            ? ""
            : "  --market "
                + markets.stream().map(Market::code).collect(Collectors.joining(","))
                + " \\\n";
    String deniedPeers =
        DENIED_PEERS.stream().map(r -> "denied-peer-ip=" + r).collect(Collectors.joining("\n"));
    return """
        set -euo pipefail
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y janus openjdk-17-jre-headless awscli curl python3
        # coturn must not start with its packaged config (none of our auth or denied peers): no
        # package starts a service while this policy says no; liffey-turn-conf writes the config.
        printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        apt-get install -y coturn
        rm -f /usr/sbin/policy-rc.d
        # Only coturn's old sysvinit script reads this switch (Debian 12 runs its systemd unit, which
        # systemctl enables below); set anyway, so coturn runs whichever starts it.
        [[ ! -f /etc/default/coturn ]] \\
          || sed -i -E 's/^#?TURNSERVER_ENABLED=.*/TURNSERVER_ENABLED=1/' /etc/default/coturn

        # On-call reaches relays through Session Manager (the role allows it); Debian's image has no
        # SSM agent, so install AWS's. A relay without it still serves.
        (curl -fsSL --retry 3 -o /tmp/amazon-ssm-agent.deb \\
            https://s3.{{REGION}}.amazonaws.com/amazon-ssm-{{REGION}}/latest/debian_amd64/amazon-ssm-agent.deb \\
          && dpkg -i /tmp/amazon-ssm-agent.deb) \\
          || echo 'relay: SSM agent not installed; Session Manager cannot reach this relay' >&2
        rm -f /tmp/amazon-ssm-agent.deb

        id liffey >/dev/null 2>&1 \\
          || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin liffey
        install -d -m 755 /etc/liffey {{TOKENS}} /opt/liffey /opt/liffey/bin

        # Janus's admin secret, made on this relay: Janus's config and the agent's user only.
        admin_secret=$(head -c 30 /dev/urandom | base64 | tr -d '+/=\\n')
        install -m 600 -o liffey -g liffey /dev/null {{SECRET}}
        printf '%s' "$admin_secret" > {{SECRET}}

        install -m 600 /dev/null /etc/janus/janus.jcfg
        cat > /etc/janus/janus.jcfg <<JCFG
        general: {
          configs_folder = "/etc/janus"
          plugins_folder = "{{LIBS}}/plugins"
          transports_folder = "{{LIBS}}/transports"
          events_folder = "{{LIBS}}/events"
          loggers_folder = "{{LIBS}}/loggers"
          debug_level = 4
          server_name = "liffey-relay"
          admin_secret = "$admin_secret"
        }
        media: {
          rtp_port_range = "{{RTP_FROM}}-{{RTP_TO}}"
        }
        nat: {
          nat_1_1_mapping = "0.0.0.0"
          ice_keepalive_conncheck = true
        }
        plugins: {
          disable = "{{UNUSED_PLUGINS}}"
        }
        transports: {
          disable = "{{UNUSED_TRANSPORTS}}"
        }
        loggers: {
          disable = "libjanus_jsonlog.so"
        }
        events: {
          broadcast = true
          stats_period = 5
          disable = "{{UNUSED_EVENT_HANDLERS}}"
        }
        JCFG

        cat > /etc/janus/janus.transport.http.jcfg <<'JCFG'
        general: {
          json = "plain"
          base_path = "/janus"
          http = true
          ip = "127.0.0.1"
          port = {{JANUS_HTTP}}
          https = false
        }
        admin: {
          admin_base_path = "/admin"
          admin_http = true
          admin_ip = "127.0.0.1"
          admin_port = {{JANUS_ADMIN}}
          admin_https = false
        }
        JCFG

        cat > /etc/janus/janus.eventhandler.sampleevh.jcfg <<'JCFG'
        general: {
          enabled = true
          events = "sessions,handles,webrtc,media"
          grouping = true
          json = "plain"
          backend = "http://127.0.0.1:{{AGENT_PORT}}/janus-events"
        }
        JCFG

        # The transcoders send each stream's renditions as RTP, from inside the VPC, to mountpoints
        # the agent makes on ports Janus picks in rtp_port_range (the security group admits those
        # from the VPC only); the static one below is the single-stream contract's.
        cat > /etc/janus/janus.plugin.streaming.jcfg <<'JCFG'
        general: {
          rtp_port_range = "{{FEED_FROM}}-{{FEED_TO}}"
        }
        {{STREAM}}: {
          type = "rtp"
          id = {{MOUNTPOINT}}
          description = "Liffey live"
          audio = true
          audioport = {{AUDIO_PORT}}
          audiopt = 111
          audiocodec = "opus"
          audiortpmap = "opus/48000/2"
          video = true
          videoport = {{VIDEO_PORT}}
          videopt = 96
          videocodec = "h264"
          videortpmap = "H264/90000"
          videofmtp = "profile-level-id=42e01f;packetization-mode=1"
        }
        JCFG

        cat > /usr/local/sbin/liffey-janus-nat <<'SH'
        #!/bin/bash
        # Janus advertises this relay's public IPv4 address in its ICE candidates (nat_1_1_mapping).
        # Runs before every start of Janus: a relay from the warm pool has a new address each start.
        set -euo pipefail
        {{IMDS_TOKEN}}
        ip=$(curl -fsS --retry 3 -H "X-aws-ec2-metadata-token: $token" "$imds/meta-data/public-ipv4")
        if [[ ! $ip =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ ]]; then
          echo "liffey-janus-nat: IMDS gave no public IPv4 address ('$ip'); relays need one" >&2
          exit 1
        fi
        sed -i -E "s/^([[:space:]]*nat_1_1_mapping = )\\"[^\\"]*\\"/\\1\\"$ip\\"/" /etc/janus/janus.jcfg
        echo "liffey-janus-nat: Janus advertises $ip"
        SH
        chmod 755 /usr/local/sbin/liffey-janus-nat
        /usr/local/sbin/liffey-janus-nat
        mkdir -p /etc/systemd/system/janus.service.d
        cat > /etc/systemd/system/janus.service.d/liffey.conf <<'UNIT'
        [Unit]
        Wants=network-online.target
        After=network-online.target

        [Service]
        ExecStartPre=/usr/local/sbin/liffey-janus-nat
        UNIT

        aws s3 cp --region {{REGION}} --only-show-errors '{{JAR_URL}}' {{JAR}}
        chmod 644 {{JAR}}

        cat > /usr/local/sbin/liffey-token-keys <<'SH'
        #!/bin/bash
        # Viewers' token public keys, SSM {{KEYS_PATH}}<kid> -> {{TOKENS}}/<kid>.pem, keys no longer
        # there removed. Runs before every start of the agent, so a relay from the warm pool has
        # today's keys, not those of the day it was made.
        set -euo pipefail
        aws ssm get-parameters-by-path --path {{KEYS_PATH}} --with-decryption \\
            --region {{REGION}} --output json \\
          | python3 -c '
        import json, os, re, sys
        params = json.load(sys.stdin)["Parameters"]
        keys = {}
        for p in params:
            kid = p["Name"].rsplit("/", 1)[-1]
            if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*", kid):
                sys.exit("liffey-token-keys: key id " + repr(kid) + " cannot name a file")
            keys[kid + ".pem"] = p["Value"].strip() + "\\n"
        if not keys:
            sys.exit("liffey-token-keys: no keys under {{KEYS_PATH}}; no viewer could join")
        out = "{{TOKENS}}"
        for old in os.listdir(out):
            if old.endswith(".pem") and old not in keys:
                os.remove(os.path.join(out, old))
        for name, pem in keys.items():
            tmp = os.path.join(out, "." + name)
            with open(tmp, "w") as f:
                f.write(pem)
            os.chmod(tmp, 0o644)
            os.replace(tmp, os.path.join(out, name))
        print("liffey-token-keys: " + ", ".join(sorted(keys)))
        '
        SH
        chmod 755 /usr/local/sbin/liffey-token-keys
        /usr/local/sbin/liffey-token-keys

        cat > /usr/local/sbin/liffey-turn-secret <<'SH'
        #!/bin/bash
        # The region's TURN shared secret, Secrets Manager -> {{TURN_SECRET}} (root:liffey, 640). Runs
        # before every start of coturn and of the agent, so both hold the secret of today.
        set -euo pipefail
        secret=$(aws secretsmanager get-secret-value --secret-id '{{TURN_SECRET_ARN}}' \\
          --region {{REGION}} --query SecretString --output text)
        if [[ ! $secret =~ ^[A-Za-z0-9]{40,}$ ]]; then
          echo "liffey-turn-secret: the TURN secret is not 40 or more letters and digits" >&2
          exit 1
        fi
        tmp=$(mktemp /etc/liffey/.turn-secret.XXXXXX)
        printf '%s' "$secret" > "$tmp"
        chown root:liffey "$tmp"
        chmod 640 "$tmp"
        mv -f "$tmp" {{TURN_SECRET}}
        echo "liffey-turn-secret: {{TURN_SECRET}} written"
        SH
        chmod 755 /usr/local/sbin/liffey-turn-secret

        cat > /usr/local/sbin/liffey-turn-conf <<'SH'
        #!/bin/bash
        # coturn's config, before every start of coturn: the relay's addresses from IMDSv2 (a relay
        # from the warm pool has a new public one each start) and the secret in {{TURN_SECRET}}.
        set -euo pipefail
        {{IMDS_TOKEN}}
        public=$(curl -fsS --retry 3 -H "X-aws-ec2-metadata-token: $token" "$imds/meta-data/public-ipv4")
        private=$(curl -fsS --retry 3 -H "X-aws-ec2-metadata-token: $token" "$imds/meta-data/local-ipv4")
        ipv4='^[0-9]{1,3}(\\.[0-9]{1,3}){3}$'
        if [[ ! $public =~ $ipv4 || ! $private =~ $ipv4 ]]; then
          echo "liffey-turn-conf: IMDS gave no public and private IPv4 ('$public', '$private')" >&2
          exit 1
        fi
        secret=$(< {{TURN_SECRET}})
        tmp=$(mktemp /etc/.turnserver.conf.XXXXXX)
        cat > "$tmp" <<CONF
        # Written by liffey-turn-conf before every start of coturn: edits here are lost.
        listening-port={{TURN_PORT}}
        listening-ip=$private
        relay-ip=$private
        external-ip=$public/$private
        min-port={{TURN_RELAY_FROM}}
        max-port={{TURN_RELAY_TO}}
        realm={{TURN_REALM}}
        use-auth-secret
        static-auth-secret=$secret
        fingerprint
        no-tls
        no-dtls
        no-cli
        no-tcp-relay
        no-multicast-peers
        {{DENIED_PEERS}}
        syslog
        CONF
        chown root:turnserver "$tmp"
        chmod 640 "$tmp"
        mv -f "$tmp" /etc/turnserver.conf
        echo "liffey-turn-conf: coturn relays at $public ($private)"
        SH
        chmod 755 /usr/local/sbin/liffey-turn-conf
        mkdir -p /etc/systemd/system/coturn.service.d
        cat > /etc/systemd/system/coturn.service.d/liffey.conf <<'UNIT'
        [Unit]
        Wants=network-online.target
        After=network-online.target
        StartLimitIntervalSec=0

        [Service]
        ExecStartPre=+/usr/local/sbin/liffey-turn-secret
        ExecStartPre=+/usr/local/sbin/liffey-turn-conf
        Restart=always
        RestartSec=5
        UNIT

        cat > /opt/liffey/bin/liffey-edge <<'SH'
        #!/bin/bash
        # The agent, with one --token-public-key per key in {{TOKENS}} (a token's kid names its file).
        set -euo pipefail
        shopt -s nullglob
        keys=()
        for pem in {{TOKENS}}/*.pem; do
          keys+=(--token-public-key "$pem")
        done
        if (( ${#keys[@]} == 0 )); then
          echo "liffey-edge: no token public keys in {{TOKENS}}; see liffey-token-keys" >&2
          exit 2
        fi
        exec /usr/bin/java -jar {{JAR}} \\
          --listen 0.0.0.0:{{AGENT_PORT}} \\
          --janus http://127.0.0.1:{{JANUS_HTTP}}/janus \\
          --janus-admin http://127.0.0.1:{{JANUS_ADMIN}}/admin \\
          --janus-admin-secret-file {{SECRET}} \\
          --region {{REGION}} \\
        {{MARKET_FLAG}}  --stream {{STREAM}}={{MOUNTPOINT}} \\
          --control-table {{TABLE}} --control-region {{TABLE_REGION}} \\
          --drain-max {{DRAIN}}s \\
          --pack-to {{PACK_TO}} --pack-below-ms {{PACK_BELOW}} \\
          --lifecycle-hook {{HOOK}} \\
          --turn-url 'turn:{{TURN_REALM}}:{{TURN_PORT}}?transport=udp' \\
          --turn-url 'turn:{{TURN_REALM}}:{{TURN_TCP}}?transport=tcp' \\
          --turn-secret-file {{TURN_SECRET}} \\
          "${keys[@]}"
        SH
        chmod 755 /opt/liffey/bin/liffey-edge

        cat > /etc/systemd/system/liffey-edge.service <<'UNIT'
        [Unit]
        Description=Liffey relay agent: WHEP, viewer tokens, edge metrics, drain
        After=janus.service network-online.target
        Wants=janus.service network-online.target
        StartLimitIntervalSec=0

        [Service]
        User=liffey
        Group=liffey
        Environment=AWS_REGION={{REGION}}
        ExecStartPre=+/usr/local/sbin/liffey-token-keys
        ExecStartPre=+/usr/local/sbin/liffey-turn-secret
        ExecStart=/opt/liffey/bin/liffey-edge
        {{RESTART_AND_SANDBOX}}

        [Install]
        WantedBy=multi-user.target
        UNIT

        {{BOOT_COMPLETER}}
        systemctl daemon-reload
        systemctl enable janus.service liffey-edge.service
        systemctl enable coturn.service
        systemctl restart janus.service
        systemctl restart coturn.service
        systemctl restart liffey-edge.service
        # Last: only a relay whose install got this far (set -e) tells Auto Scaling it has booted.
        systemctl enable liffey-boot-complete.service
        systemctl start liffey-boot-complete.service
        """
        .replace("{{RESTART_AND_SANDBOX}}", AgentService.RESTART_AND_SANDBOX)
        .replace("{{BOOT_COMPLETER}}", BootCompletion.writeBoth(bootCompletion(regionId)))
        .replace("{{MARKET_FLAG}}", marketFlag)
        .replace("{{TABLE}}", table.name())
        .replace("{{TABLE_REGION}}", table.region())
        .replace("{{IMDS_TOKEN}}", BootCompletion.IMDS_TOKEN)
        .replace("{{DENIED_PEERS}}", deniedPeers)
        .replace("{{TURN_SECRET_ARN}}", turn.secretArn())
        .replace("{{TURN_SECRET}}", TURN_SECRET_FILE)
        .replace("{{TURN_REALM}}", turn.regionalName())
        .replace("{{TURN_PORT}}", String.valueOf(RelayStack.TURN_PORT))
        .replace("{{TURN_TCP}}", String.valueOf(RelayStack.TURN_TCP_LISTENER_PORT))
        .replace("{{TURN_RELAY_FROM}}", String.valueOf(RelayStack.TURN_RELAY_PORTS_FROM))
        .replace("{{TURN_RELAY_TO}}", String.valueOf(RelayStack.TURN_RELAY_PORTS_TO))
        .replace("{{REGION}}", regionId)
        .replace("{{TOKENS}}", TOKEN_KEYS_DIR)
        .replace("{{SECRET}}", ADMIN_SECRET_FILE)
        .replace("{{LIBS}}", LIBS)
        .replace("{{FEED_FROM}}", String.valueOf(RelayStack.FEED_RTP_PORTS_FROM))
        .replace("{{FEED_TO}}", String.valueOf(RelayStack.FEED_RTP_PORTS_TO))
        .replace("{{RTP_FROM}}", String.valueOf(RelayStack.MEDIA_UDP_PORTS_FROM))
        .replace("{{RTP_TO}}", String.valueOf(RelayStack.MEDIA_UDP_PORTS_TO))
        .replace("{{UNUSED_PLUGINS}}", UNUSED_PLUGINS)
        .replace("{{UNUSED_TRANSPORTS}}", UNUSED_TRANSPORTS)
        .replace("{{UNUSED_EVENT_HANDLERS}}", UNUSED_EVENT_HANDLERS)
        .replace("{{JANUS_HTTP}}", String.valueOf(JANUS_HTTP_PORT))
        .replace("{{JANUS_ADMIN}}", String.valueOf(JANUS_ADMIN_PORT))
        .replace("{{AGENT_PORT}}", String.valueOf(RelayStack.SIGNALLING_PORT))
        .replace("{{STREAM}}", LIVE_STREAM)
        .replace("{{MOUNTPOINT}}", String.valueOf(LIVE_MOUNTPOINT_ID))
        .replace("{{AUDIO_PORT}}", String.valueOf(RelayStack.STREAM_AUDIO_RTP_PORT))
        .replace("{{VIDEO_PORT}}", String.valueOf(RelayStack.STREAM_VIDEO_RTP_PORT))
        .replace("{{KEYS_PATH}}", RelayStack.VIEWER_TOKEN_KEYS_PATH)
        .replace("{{JAR}}", AGENT_JAR)
        .replace("{{JAR_URL}}", agentJarS3Url)
        .replace("{{DRAIN}}", String.valueOf(drainMax.toSeconds()))
        .replace("{{PACK_TO}}", String.valueOf(pack.packTo()))
        .replace("{{PACK_BELOW}}", String.valueOf(pack.belowMillis()))
        .replace("{{HOOK}}", RelayStack.DRAIN_HOOK_NAME);
  }
}
