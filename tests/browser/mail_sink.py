"""A real SMTP server for the browser tests (Debian's python3-aiosmtpd).

Usage: mail_sink.py FOLDER PORT
Listens on 127.0.0.1:PORT, saves each message it receives as FOLDER/NNNN.json (`to`,
`subject` and the decoded `text` part), and prints "ready" once it accepts connections.
"""
import email
import email.policy
import json
import os
import sys
import time

from aiosmtpd.controller import Controller


class Saver:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = msg.get_body(("plain",))
        Saver.count += 1
        data = {"to": envelope.rcpt_tos, "subject": msg["subject"],
                "text": body.get_content() if body else None}
        # Written under a temporary name, then renamed: a reader never sees half a mail.
        tmp = os.path.join(OUT, ".%d.tmp" % Saver.count)
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.rename(tmp, os.path.join(OUT, "%04d.json" % Saver.count))
        return "250 OK"


OUT, PORT = sys.argv[1], int(sys.argv[2])
controller = Controller(Saver(), hostname="127.0.0.1", port=PORT)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
