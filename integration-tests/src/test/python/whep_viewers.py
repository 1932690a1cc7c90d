"""Headless WebRTC viewers for Liffey's edge tests: each joins a relay by WHEP in the form where
the relay offers (an empty POST returns the relay's SDP offer and a Location; the viewer PATCHes
its answer there; DELETE leaves), decodes what it receives, and reports what it saw as JSON.

    python whep_viewers.py VIEWERS.json > RESULTS.json

VIEWERS.json is a list of {"name", "url" (the relay's /whep/{stream}), "token", "seconds", and
optionally "resource_base" (where to send the PATCH and DELETE instead, as a load balancer might
send them to another relay) and "first_frame_file" (written, with the wall-clock second, when the
first video frame is decoded)}; every viewer starts at once and leaves (DELETE) after its seconds of
watching. The result is one object
per viewer: the POST's status, the time from the POST to the first decoded video frame, decoded
video frames by wall-clock second and by height, the longest wait between two decoded frames, the
H.264 profile-level-ids the relay offered, and the status of its DELETE.

A viewer with "follow_reconnect": true is a player of WHEP's server-sent events extension (IETF
WISH): it finds the events URL in the Link headers of its 201 (rel
"urn:ietf:params:whep:ext:core:server-sent-events"), subscribes there (POST ["reconnect"]) and opens
the event stream its Location names. On a "reconnect" event it makes the new session before it
breaks the old one: it joins at the event's url, resolved against "reconnect_base" (default: the
URL it first joined), keeps decoding the old session until the new one decodes its first frame,
then watches the new one and DELETEs the old. It subscribes to each new session's events too, so
it follows every reconnect until its seconds are up. Besides the fields above (counted over the
frames of whichever session is current, longest_gap_ms across each switch), it reports
"events_status" and "event_stream_status" (its first subscription's POST and GET),
"reconnect_event_at", "reconnect_url", "reconnect_status"
(the new POST's), "new_first_frame_at", "old_deleted_at" (seconds since the viewer started;
null when it never happened), "old_delete_status", "switch_gap_ms" (from the old session's last
frame to the new one's first) and "reconnects" (every switch, with the same fields).
"""

import asyncio
import json
import re
import sys
import time

import aiohttp
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError


def fresh_result(spec):
    """What every viewer reports, before it has seen anything."""
    return {
        "name": spec["name"],
        "status": None,
        "join_ms": None,
        "frames_by_second": {},
        "frames_by_height": {},
        "longest_gap_ms": None,
    }


def count_frame(result, spec, started, frame, last):
    """Counts a decoded frame in the report (its second, its height, the first frame's time and
    the longest wait since the frame decoded at monotonic time `last`); returns that wait in ms,
    or None for the first."""
    now = time.time()
    if result["join_ms"] is None:
        result["join_ms"] = round((time.monotonic() - started) * 1000)
        if spec.get("first_frame_file"):
            with open(spec["first_frame_file"], "w") as marker:
                marker.write(str(int(now)))
    height = str(frame.height)
    result["frames_by_height"][height] = result["frames_by_height"].get(height, 0) + 1
    gap = None
    if last is not None:
        gap = round((time.monotonic() - last) * 1000)
        result["longest_gap_ms"] = max(result["longest_gap_ms"] or 0, gap)
    second = str(int(now))
    result["frames_by_second"][second] = result["frames_by_second"].get(second, 0) + 1
    return gap


async def watch(session, spec):
    result = fresh_result(spec)
    started = time.monotonic()
    headers = {"Authorization": "Bearer " + spec["token"]} if spec.get("token") else {}
    async with session.post(spec["url"], data=b"", headers=headers) as r:
        result["status"] = r.status
        body = await r.text()
        result["retry_after"] = r.headers.get("Retry-After")
        if r.status != 201:
            result["body"] = body.strip()
            return result
        location = r.headers["Location"]
    # The H.264 profile and level the relay announced, as a browser would read them.
    result["offered_profile_level_ids"] = re.findall(r"profile-level-id=([0-9a-fA-F]{6})", body)
    base = spec.get("resource_base") or spec["url"]
    resource = str(aiohttp.client.URL(base).join(aiohttp.client.URL(location)))
    pc = RTCPeerConnection()
    frames = asyncio.Queue()

    @pc.on("track")
    def on_track(track):
        if track.kind == "video":
            frames.put_nowait(track)

    await pc.setRemoteDescription(RTCSessionDescription(sdp=body, type="offer"))
    await pc.setLocalDescription(await pc.createAnswer())
    async with session.patch(
        resource, data=pc.localDescription.sdp, headers={"Content-Type": "application/sdp"}
    ) as r:
        result["patch_status"] = r.status
    if result["patch_status"] != 204:
        await pc.close()
        return result

    deadline = time.monotonic() + spec["seconds"]
    try:
        track = await asyncio.wait_for(frames.get(), timeout=10)
        last = None
        while time.monotonic() < deadline:
            try:
                frame = await asyncio.wait_for(
                    track.recv(), timeout=max(0.1, deadline - time.monotonic())
                )
            except asyncio.TimeoutError:
                break
            count_frame(result, spec, started, frame, last)
            last = time.monotonic()
    except (asyncio.TimeoutError, MediaStreamError) as e:
        result["error"] = repr(e)
    async with session.delete(resource) as r:
        result["delete_status"] = r.status
    await pc.close()
    return result


EVENTS_REL = "urn:ietf:params:whep:ext:core:server-sent-events"


def events_link(links):
    """The events URL among a 201's Link headers (TURN servers may be beside it), or None."""
    for header in links:
        # One header may carry several comma-separated links.
        for link in re.finditer(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)", header):
            params = link.group(2)
            if re.search(r';\s*rel="?' + re.escape(EVENTS_REL) + r'"?(\s*;|\s*$)', params):
                return link.group(1)
    return None


class Leg:
    """One WHEP session of a following viewer: its peer connection, resource and reader."""

    def __init__(self, url):
        self.url = url
        self.status = None
        self.resource = None
        self.events_url = None
        self.pc = None
        self.reader = None
        self.events = None
        self.error = None


async def join(session, url, headers):
    """POSTs to url and PATCHes the answer: a Leg whose status is 201 and patch_status 204 when it
    joined (its track not yet received)."""
    leg = Leg(url)
    async with session.post(url, data=b"", headers=headers) as r:
        leg.status = r.status
        body = await r.text()
        leg.retry_after = r.headers.get("Retry-After")
        if r.status != 201:
            leg.body = body.strip()
            return leg
        location = r.headers["Location"]
        links = r.headers.getall("Link", [])
    leg.offered_profile_level_ids = re.findall(r"profile-level-id=([0-9a-fA-F]{6})", body)
    leg.resource = str(aiohttp.client.URL(url).join(aiohttp.client.URL(location)))
    link = events_link(links)
    if link is not None:
        leg.events_url = str(aiohttp.client.URL(url).join(aiohttp.client.URL(link)))
    leg.pc = RTCPeerConnection()
    leg.tracks = asyncio.Queue()

    @leg.pc.on("track")
    def on_track(track):
        if track.kind == "video":
            leg.tracks.put_nowait(track)

    await leg.pc.setRemoteDescription(RTCSessionDescription(sdp=body, type="offer"))
    await leg.pc.setLocalDescription(await leg.pc.createAnswer())
    async with session.patch(
        leg.resource, data=leg.pc.localDescription.sdp, headers={"Content-Type": "application/sdp"}
    ) as r:
        leg.patch_status = r.status
    return leg


async def subscribe(session, leg, on_status, on_event):
    """Subscribes to the leg's reconnect events and reads its stream until it ends, calling
    on_status(what, status) for the subscription's POST and the stream's GET and on_event(name,
    data) for each event."""
    async with session.post(leg.events_url, json=["reconnect"]) as r:
        on_status("events_status", r.status)
        if r.status != 201:
            return
        location = aiohttp.client.URL(r.headers["Location"])
        stream = str(aiohttp.client.URL(leg.events_url).join(location))
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with session.get(stream, timeout=timeout, headers={"Accept": "text/event-stream"}) as r:
        on_status("event_stream_status", r.status)
        if r.status != 200:
            return
        name, data = None, []
        async for raw in r.content:
            line = raw.decode("utf-8").rstrip("\r\n")
            if line == "":
                if data or name:
                    on_event(name or "message", "\n".join(data))
                name, data = None, []
            elif line.startswith(":"):
                continue  # a keep-alive comment
            else:
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    name = value
                elif field == "data":
                    data.append(value)


async def watch_following(session, spec):
    """A viewer that follows reconnect events, making each new session before breaking the old."""
    result = fresh_result(spec)
    result.update({
        "events_status": None,
        "event_stream_status": None,
        "reconnect_event_at": None,
        "reconnect_url": None,
        "reconnect_status": None,
        "new_first_frame_at": None,
        "old_deleted_at": None,
        "old_delete_status": None,
        "switch_gap_ms": None,
        "reconnects": [],
    })
    started = time.monotonic()
    since = lambda: round(time.monotonic() - started, 3)  # noqa: E731
    headers = {"Authorization": "Bearer " + spec["token"]} if spec.get("token") else {}
    first = await join(session, spec["url"], headers)
    result["status"] = first.status
    result["retry_after"] = first.retry_after
    if first.status != 201:
        result["body"] = first.body
        return result
    result["offered_profile_level_ids"] = first.offered_profile_level_ids
    result["patch_status"] = first.patch_status
    if first.patch_status != 204:
        await first.pc.close()
        return result
    if first.events_url is None:
        result["error"] = "no Link with rel=" + EVENTS_REL
    reconnect_base = spec.get("reconnect_base") or spec["url"]
    state = {"current": first, "pending": None, "last": None, "switch": None}
    tasks = set()

    def background(coro):
        t = asyncio.ensure_future(coro)
        tasks.add(t)
        t.add_done_callback(tasks.discard)
        return t

    def count(frame):
        gap = count_frame(result, spec, started, frame, state["last"])
        state["last"] = time.monotonic()
        return gap

    async def leave(leg, switch):
        leg.reader.cancel()
        async with session.delete(leg.resource) as r:
            switch["old_delete_status"] = r.status
        switch["old_deleted_at"] = since()
        if leg.events is not None:
            leg.events.cancel()
        await leg.pc.close()

    def on_frame(leg, frame):
        if leg is state["current"]:
            count(frame)
        elif leg is state["pending"]:
            # The new session decodes: it becomes the one watched, and only then the old one goes.
            switch = state["switch"]
            switch["new_first_frame_at"] = since()
            old = state["current"]
            state["current"], state["pending"], state["switch"] = leg, None, None
            switch["switch_gap_ms"] = count(frame)
            background(leave(old, switch))
            if leg.events_url is not None:
                leg.events = background(follow(leg))

    async def read(leg):
        try:
            track = await asyncio.wait_for(leg.tracks.get(), timeout=10)
            while True:
                on_frame(leg, await track.recv())
        except (asyncio.TimeoutError, MediaStreamError) as e:
            leg.error = repr(e)

    async def reconnect(url):
        switch = {
            "reconnect_event_at": since(),
            "reconnect_url": url,
            "reconnect_status": None,
            "new_first_frame_at": None,
            "old_deleted_at": None,
            "old_delete_status": None,
            "switch_gap_ms": None,
        }
        result["reconnects"].append(switch)
        state["switch"] = switch
        target = str(aiohttp.client.URL(reconnect_base).join(aiohttp.client.URL(url)))
        leg = await join(session, target, headers)
        switch["reconnect_status"] = leg.status
        if leg.status != 201 or leg.patch_status != 204:
            switch["error"] = getattr(leg, "body", None) or "PATCH %s" % leg.patch_status
            state["switch"] = None
            if leg.pc is not None:
                await leg.pc.close()
            return  # it watches on where it is
        state["pending"] = leg
        leg.reader = background(read(leg))

    def on_event(leg, name, data):
        if name != "reconnect" or leg is not state["current"] or state["switch"] is not None:
            return
        try:
            url = json.loads(data)["url"]
        except (ValueError, KeyError, TypeError):
            return
        background(reconnect(url))

    def on_status(leg, what, status):
        if leg is first:
            result[what] = status

    async def follow(leg):
        await subscribe(
            session, leg, lambda w, s: on_status(leg, w, s), lambda n, d: on_event(leg, n, d)
        )

    first.reader = background(read(first))
    if first.events_url is not None:
        first.events = background(follow(first))
    await asyncio.sleep(spec["seconds"])
    # Any session it was still making goes too.
    pending = state["pending"]
    if pending is not None:
        pending.reader.cancel()
        async with session.delete(pending.resource):
            pass
        await pending.pc.close()
    current = state["current"]
    current.reader.cancel()
    if current.error and "error" not in result:
        result["error"] = current.error
    async with session.delete(current.resource) as r:
        result["delete_status"] = r.status
    for t in list(tasks):
        t.cancel()
    await current.pc.close()
    if result["reconnects"]:
        result.update(result["reconnects"][0])
    return result


async def main(path):
    with open(path) as f:
        specs = json.load(f)
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(
            *((watch_following if s.get("follow_reconnect") else watch)(session, s) for s in specs),
            return_exceptions=True,
        )
    out = []
    for spec, r in zip(specs, results):
        out.append(r if isinstance(r, dict) else {"name": spec["name"], "error": repr(r)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
