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
"""

import asyncio
import json
import re
import sys
import time

import aiohttp
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError


async def watch(session, spec):
    result = {
        "name": spec["name"],
        "status": None,
        "join_ms": None,
        "frames_by_second": {},
        "frames_by_height": {},
        "longest_gap_ms": None,
    }
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
            now = time.time()
            if result["join_ms"] is None:
                result["join_ms"] = round((time.monotonic() - started) * 1000)
                if spec.get("first_frame_file"):
                    with open(spec["first_frame_file"], "w") as marker:
                        marker.write(str(int(now)))
            height = str(frame.height)
            result["frames_by_height"][height] = result["frames_by_height"].get(height, 0) + 1
            if last is not None:
                gap = round((time.monotonic() - last) * 1000)
                result["longest_gap_ms"] = max(result["longest_gap_ms"] or 0, gap)
            last = time.monotonic()
            second = str(int(now))
            result["frames_by_second"][second] = result["frames_by_second"].get(second, 0) + 1
    except (asyncio.TimeoutError, MediaStreamError) as e:
        result["error"] = repr(e)
    async with session.delete(resource) as r:
        result["delete_status"] = r.status
    await pc.close()
    return result


async def main(path):
    with open(path) as f:
        specs = json.load(f)
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(watch(session, s) for s in specs), return_exceptions=True)
    out = []
    for spec, r in zip(specs, results):
        out.append(r if isinstance(r, dict) else {"name": spec["name"], "error": repr(r)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
