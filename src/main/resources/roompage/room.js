/* Parlor room page: a WebRTC full-mesh client. Signaling protocol: docs/signaling.md. */
(() => {
  'use strict';
  const config = JSON.parse(document.getElementById('parlor-config').textContent);
  const q = new URLSearchParams(location.search);
  const off = (name) => (q.get(name) || '').toLowerCase() === 'off';
  const on = (name) => q.has(name) && !['off', 'false', '0'].includes((q.get(name) || '').toLowerCase());
  const opts = {
    roomKey: q.get('roomKey') || null,
    displayName: q.get('displayName') || '',
    externalId: q.get('externalId'),
    metadata: q.get('metadata'),
    audio: !off('audio'),
    video: !off('video'),
    minimal: on('minimal') || on('embed'),
    skipPrompt: on('skipMediaPermissionPrompt'),
    chat: !off('chat'),
    people: !off('people'),
    screenshare: !off('screenshare'),
    leaveButton: !off('leaveButton'),
    locking: !off('locking'),
    logo: !off('logo'),
    background: !off('background'),
    lowres: on('lowres'),
  };
  const $ = (id) => document.getElementById(id);
  const screens = ['error', 'prejoin', 'knock', 'ended', 'room'];

  const state = {
    phase: 'init',
    selfId: null,
    role: null,
    locked: false,
    iceServers: [],
    peers: new Map(), // id -> {info, pc, stream, tile, pending}
    knocks: new Map(),
    audio: opts.audio,
    video: opts.video,
    screen: null,
    statsTotals: new Map(),
    lastStatsAt: 0,
    samplesSent: 0,
  };
  let localStream = null;
  let ws = null;
  let statsTimer = null;
  let pingTimer = null;

  // ------------------------------------------------------------ embedding (postMessage)
  const embedOrigins = config.embedOrigins || ['*'];
  const anyOrigin = embedOrigins.includes('*');
  const embedded = window.parent !== window;
  function post(type, payload) {
    if (!embedded) return;
    for (const target of anyOrigin ? ['*'] : embedOrigins) {
      try { window.parent.postMessage({ type, payload: payload || {} }, target); } catch (e) { /* other origin */ }
    }
  }
  window.addEventListener('message', (ev) => {
    if (ev.source !== window.parent || ev.source === window) return;
    if (!anyOrigin && !embedOrigins.includes(ev.origin)) return;
    const data = ev.data || {};
    switch (data.command) {
      case 'toggle_camera': toggleCamera(data.args); break;
      case 'toggle_microphone': toggleMic(data.args); break;
      case 'toggle_screenshare': toggleScreen(); break;
      case 'leave_room': leave(); break;
      case 'knock': knock(); break;
      case 'end_meeting': endMeeting(); break;
      default: break;
    }
  });

  // ------------------------------------------------------------ screens and helpers
  function show(name) {
    state.phase = name;
    for (const s of screens) $('screen-' + s).hidden = s !== name;
  }
  function showError(title, text) {
    $('error-title').textContent = title;
    $('error-text').textContent = text;
    show('error');
  }
  function showEnded(title, text) {
    $('ended-title').textContent = title;
    $('ended-text').textContent = text || '';
    cleanup();
    show('ended');
  }
  let toastTimer = null;
  function toast(text) {
    const t = $('toast');
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
  }
  function send(msg) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  }
  function roleFromKey(key) {
    try {
      const part = key.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4))).role || null;
    } catch (e) { return null; }
  }
  const viewerHint = opts.roomKey && roleFromKey(opts.roomKey) === 'viewer';

  // ------------------------------------------------------------ theme
  async function applyTheme() {
    const root = document.documentElement.style;
    $('room-title').textContent = config.roomName.replace(/^\//, '');
    if (opts.minimal) document.body.classList.add('minimal');
    let theme = null;
    try {
      const r = await fetch('/rooms' + config.roomName + '/theme.json', { headers: { Accept: 'application/json' } });
      if (r.ok) theme = await r.json();
    } catch (e) { theme = null; }
    if (!theme || typeof theme !== 'object') return; // built-in defaults
    const colors = theme.colors || (theme.tokens && theme.tokens.colors) || {};
    const map = { primary: '--parlor-primary', secondary: '--parlor-secondary', focus: '--parlor-primary',
      background: '--parlor-background', surface: '--parlor-surface', text: '--parlor-text' };
    for (const [k, v] of Object.entries(colors)) {
      if (map[k] && typeof v === 'string' && /^#[0-9a-fA-F]{3,8}$|^rgba?\(/.test(v)) root.setProperty(map[k], v);
    }
    const img = theme.images || {};
    const url = (...c) => c.find((x) => typeof x === 'string' && x) || (c.find((x) => x && typeof x.url === 'string') || {}).url;
    const logo = url(theme.logoUrl, theme.logo, img.logo);
    const bg = url(theme.roomBackgroundUrl, theme.roomBackground, img.roomBackground);
    const knockBg = url(theme.roomKnockPageBackgroundUrl, theme.roomKnockPageBackground, img.roomKnockPageBackground);
    if (logo && opts.logo) { $('logo').src = logo; $('logo').hidden = false; }
    if (bg && opts.background) root.setProperty('--parlor-room-bg', 'url("' + encodeURI(bg) + '")');
    if (knockBg) root.setProperty('--parlor-knock-bg', 'url("' + encodeURI(knockBg) + '")');
  }

  // ------------------------------------------------------------ local media
  function mediaConstraints() {
    const video = opts.lowres
      ? { width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 15, max: 15 } }
      : { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
    const cam = $('camera-select').value;
    const mic = $('mic-select').value;
    if (cam) video.deviceId = { exact: cam };
    return { audio: mic ? { deviceId: { exact: mic } } : true, video };
  }
  async function acquireMedia() {
    if (localStream) localStream.getTracks().forEach((t) => t.stop());
    localStream = null;
    try {
      localStream = await navigator.mediaDevices.getUserMedia(mediaConstraints());
    } catch (e) {
      try {
        localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
        $('prejoin-error').textContent = 'No camera available: joining with audio only.';
      } catch (e2) {
        $('prejoin-error').textContent = 'Camera and microphone are not available (' + e.name + '). You can still join.';
      }
    }
    applyTrackState();
    $('preview').srcObject = localStream;
    await listDevices();
  }
  async function listDevices() {
    if (!navigator.mediaDevices.enumerateDevices) return;
    const devices = await navigator.mediaDevices.enumerateDevices();
    for (const [kind, sel] of [['videoinput', $('camera-select')], ['audioinput', $('mic-select')]]) {
      const current = sel.value || (localStream && (localStream.getTracks().find((t) => t.kind + 'input' === kind) || {}).getSettings?.().deviceId);
      sel.textContent = '';
      devices.filter((d) => d.kind === kind).forEach((d, i) => {
        const o = document.createElement('option');
        o.value = d.deviceId;
        o.textContent = d.label || (kind === 'videoinput' ? 'Camera ' : 'Microphone ') + (i + 1);
        sel.appendChild(o);
      });
      if (current) sel.value = current;
    }
  }
  function applyTrackState() {
    if (localStream) {
      localStream.getAudioTracks().forEach((t) => { t.enabled = state.audio; });
      localStream.getVideoTracks().forEach((t) => { t.enabled = state.video; });
    }
    for (const [id, label] of [['pre-mic', 'Microphone'], ['btn-mic', 'Mic']]) {
      $(id).setAttribute('aria-pressed', String(state.audio));
      $(id).textContent = label + (state.audio ? ' on' : ' off');
      $(id).classList.toggle('off', !state.audio);
    }
    for (const [id, label] of [['pre-cam', 'Camera'], ['btn-cam', 'Camera']]) {
      $(id).setAttribute('aria-pressed', String(state.video));
      $(id).textContent = label + (state.video ? ' on' : ' off');
      $(id).classList.toggle('off', !state.video);
    }
    $('preview-off').hidden = state.video && !!localStream && localStream.getVideoTracks().length > 0;
    const self = state.selfId && document.querySelector('.tile.self');
    if (self) updateIndicators(self, { audio: state.audio, video: state.video, screenshare: !!state.screen });
  }
  function mediaState() {
    if (state.role && state.role !== 'viewer') {
      send({ type: 'media_state', audio: state.audio, video: state.video, screenshare: !!state.screen });
    }
  }
  function toggleMic(args) {
    if (state.role === 'viewer') return;
    state.audio = args && typeof args.enabled === 'boolean' ? args.enabled : !state.audio;
    applyTrackState();
    mediaState();
    post('microphone_toggle', { enabled: state.audio });
  }
  function toggleCamera(args) {
    if (state.role === 'viewer') return;
    state.video = args && typeof args.enabled === 'boolean' ? args.enabled : !state.video;
    applyTrackState();
    mediaState();
    post('camera_toggle', { enabled: state.video });
  }
  async function toggleScreen() {
    if (state.role === 'viewer' || state.phase !== 'room' || !opts.screenshare) return;
    if (state.screen) {
      stopScreen();
      return;
    }
    try {
      const s = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      state.screen = s.getVideoTracks()[0];
      state.screen.onended = stopScreen;
      replaceVideo(state.screen);
      $('btn-screen').setAttribute('aria-pressed', 'true');
      mediaState();
      applyTrackState();
      post('screenshare_toggle', { enabled: true });
    } catch (e) {
      toast('Screen sharing was not started');
    }
  }
  function stopScreen() {
    if (!state.screen) return;
    state.screen.stop();
    state.screen = null;
    replaceVideo(localStream && localStream.getVideoTracks()[0]);
    $('btn-screen').setAttribute('aria-pressed', 'false');
    mediaState();
    applyTrackState();
    post('screenshare_toggle', { enabled: false });
  }
  function replaceVideo(track) {
    for (const peer of state.peers.values()) {
      if (peer.videoSender) peer.videoSender.replaceTrack(track || null).catch(() => {});
    }
    const self = document.querySelector('.tile.self video');
    if (self) self.srcObject = track ? new MediaStream([track]) : null;
  }

  // ------------------------------------------------------------ tiles
  function makeTile(id, info, isSelf) {
    const t = document.createElement('div');
    t.className = 'tile ' + (isSelf ? 'self' : 'remote');
    t.dataset.participantId = id;
    t.setAttribute('role', 'group');
    const v = document.createElement('video');
    v.autoplay = true;
    v.playsInline = true;
    v.muted = isSelf;
    v.dataset.frames = '0';
    const avatar = document.createElement('div');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    const label = document.createElement('div');
    label.className = 'label';
    const name = document.createElement('span');
    name.className = 'name';
    const ind = document.createElement('span');
    ind.className = 'ind';
    label.append(name, ind);
    t.append(avatar, v, label);
    setTileInfo(t, info, isSelf);
    if (v.requestVideoFrameCallback) {
      const count = () => { v.dataset.frames = String(Number(v.dataset.frames) + 1); v.requestVideoFrameCallback(count); };
      v.requestVideoFrameCallback(count);
    }
    $('grid').appendChild(t);
    layout();
    return t;
  }
  function setTileInfo(t, info, isSelf) {
    const n = (info.displayName || 'Guest') + (isSelf ? ' (you)' : '');
    t.querySelector('.name').textContent = n;
    t.setAttribute('aria-label', n);
    t.querySelector('.avatar').textContent = (info.displayName || 'G').trim().charAt(0).toUpperCase();
    updateIndicators(t, info);
  }
  function updateIndicators(t, info) {
    const bits = [];
    if (info.role === 'viewer') bits.push('viewer');
    else {
      if (!info.audio) bits.push('muted');
      if (!info.video) bits.push('camera off');
      if (info.screenshare) bits.push('sharing screen');
    }
    t.querySelector('.ind').textContent = bits.join(' · ');
    t.dataset.audio = String(!!info.audio);
    t.dataset.video = String(!!info.video);
  }
  function layout() {
    $('grid').dataset.count = String($('grid').children.length);
  }
  function playRemote(v) {
    v.muted = false;
    const p = v.play();
    if (p && p.catch) p.catch(() => { v.muted = true; v.play().catch(() => {}); });
  }

  // ------------------------------------------------------------ people, knocks, chat
  function renderPeople() {
    const list = $('people-list');
    list.textContent = '';
    const entries = [];
    if (state.selfId) entries.push({ id: state.selfId, displayName: ($('name-input').value || opts.displayName || 'Guest') + ' (you)', role: state.role, audio: state.audio, video: state.video, self: true });
    for (const p of state.peers.values()) entries.push(p.info);
    for (const e of entries) {
      const li = document.createElement('li');
      li.dataset.participantId = e.id;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = e.displayName || 'Guest';
      const role = document.createElement('span');
      role.className = 'ind';
      role.textContent = e.role + (e.role !== 'viewer' && !e.audio ? ' · muted' : '') + (e.role !== 'viewer' && !e.video ? ' · camera off' : '');
      li.append(name, role);
      if (state.role === 'host' && !e.self) {
        if (e.role !== 'viewer') li.append(button('Ask to mute', () => send({ type: 'mute_request', participantId: e.id }), 'mute-' + e.id));
        li.append(button('Remove', () => send({ type: 'remove', participantId: e.id }), 'remove-' + e.id));
      }
      list.appendChild(li);
    }
  }
  function button(text, onClick, testId) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    if (testId) b.dataset.testid = testId;
    b.addEventListener('click', onClick);
    return b;
  }
  function renderKnocks() {
    const list = $('knock-list');
    list.textContent = '';
    for (const k of state.knocks.values()) {
      const li = document.createElement('li');
      li.dataset.knockId = k.knockId;
      if (k.image) {
        const img = document.createElement('img');
        img.src = k.image;
        img.alt = 'Camera still of ' + (k.displayName || 'a visitor');
        li.append(img);
      }
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = k.displayName || 'Guest';
      li.append(name,
        button('Accept', () => send({ type: 'knock_accept', knockId: k.knockId }), 'accept-' + k.knockId),
        button('Hold', () => send({ type: 'knock_hold', knockId: k.knockId, message: 'A host will let you in shortly.' }), 'hold-' + k.knockId),
        button('Reject', () => send({ type: 'knock_reject', knockId: k.knockId, message: 'A host declined your request.' }), 'reject-' + k.knockId));
      list.appendChild(li);
    }
    $('knock-queue').hidden = state.knocks.size === 0;
    $('knock-count').hidden = state.knocks.size === 0;
    $('knock-count').textContent = String(state.knocks.size);
    if (state.knocks.size > 0 && state.role === 'host') openPanel('people', true);
  }
  function openPanel(which, force) {
    for (const p of ['people', 'chat']) {
      const open = p === which ? (force ? true : $('panel-' + p).hidden) : false;
      $('panel-' + p).hidden = !open;
      $('btn-' + p).setAttribute('aria-pressed', String(open));
    }
    $('side').hidden = $('panel-people').hidden && $('panel-chat').hidden;
  }
  function addChat(m) {
    const li = document.createElement('li');
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = m.displayName || 'Guest';
    const text = document.createElement('span');
    text.textContent = m.text;
    li.append(who, text);
    $('chat-log').appendChild(li);
    $('chat-log').scrollTop = $('chat-log').scrollHeight;
  }

  // ------------------------------------------------------------ peers
  function ensurePeer(info, initiator) {
    let peer = state.peers.get(info.id);
    if (!peer) {
      peer = { info, pc: null, stream: new MediaStream(), tile: makeTile(info.id, info, false), pending: [] };
      peer.tile.querySelector('video').srcObject = peer.stream;
      state.peers.set(info.id, peer);
      renderPeople();
    }
    if (!peer.pc && !(state.role === 'viewer' && info.role === 'viewer')) {
      createPc(peer, initiator);
    }
    return peer;
  }
  function createPc(peer, initiator) {
    const pc = new RTCPeerConnection({ iceServers: state.iceServers });
    peer.pc = pc;
    const sending = state.role !== 'viewer' && localStream;
    if (sending) {
      const video = state.screen || localStream.getVideoTracks()[0];
      const audio = localStream.getAudioTracks()[0];
      if (audio) pc.addTrack(audio, localStream);
      if (video) peer.videoSender = pc.addTrack(video, localStream);
    }
    if (initiator) {
      // receive-only where we send nothing: viewers, or no camera/microphone
      const kinds = new Set(sending ? localStream.getTracks().map((t) => t.kind) : []);
      for (const kind of ['audio', 'video']) {
        if (!kinds.has(kind)) pc.addTransceiver(kind, { direction: 'recvonly' });
      }
    }
    pc.onicecandidate = (e) => send({ type: 'candidate', to: peer.info.id, candidate: e.candidate ? e.candidate.toJSON() : null });
    pc.ontrack = (e) => {
      peer.stream.addTrack(e.track);
      const v = peer.tile.querySelector('video');
      v.srcObject = peer.stream;
      playRemote(v);
    };
    pc.onconnectionstatechange = () => {
      peer.tile.dataset.connection = pc.connectionState;
      if (pc.connectionState === 'failed' && initiator) {
        pc.restartIce();
        offer(peer);
      }
    };
  }
  async function offer(peer) {
    const pc = peer.pc;
    await pc.setLocalDescription(await pc.createOffer());
    send({ type: 'offer', to: peer.info.id, sdp: pc.localDescription.sdp });
  }
  async function onOffer(msg) {
    const known = state.peers.get(msg.from);
    const peer = ensurePeer(known ? known.info : { id: msg.from, displayName: '', role: 'visitor', audio: true, video: true }, false);
    if (!peer.pc) return;
    await peer.pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    await flushCandidates(peer);
    await peer.pc.setLocalDescription(await peer.pc.createAnswer());
    send({ type: 'answer', to: msg.from, sdp: peer.pc.localDescription.sdp });
  }
  async function onAnswer(msg) {
    const peer = state.peers.get(msg.from);
    if (!peer || !peer.pc) return;
    await peer.pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
    await flushCandidates(peer);
  }
  async function onCandidate(msg) {
    const peer = state.peers.get(msg.from);
    if (!peer || !peer.pc) return;
    if (!peer.pc.remoteDescription) { peer.pending.push(msg.candidate); return; }
    try { await peer.pc.addIceCandidate(msg.candidate || null); } catch (e) { /* stale candidate */ }
  }
  async function flushCandidates(peer) {
    const list = peer.pending.splice(0);
    for (const c of list) {
      try { await peer.pc.addIceCandidate(c || null); } catch (e) { /* stale */ }
    }
  }
  function dropPeer(id) {
    const peer = state.peers.get(id);
    if (!peer) return;
    if (peer.pc) peer.pc.close();
    peer.tile.remove();
    state.peers.delete(id);
    layout();
    renderPeople();
  }

  // ------------------------------------------------------------ stats (every 2 s)
  async function collectStats() {
    let sentBytes = 0, recvBytes = 0, sentPackets = 0, lostSend = 0, recvPackets = 0, lostRecv = 0;
    const now = performance.now();
    const seconds = state.lastStatsAt ? (now - state.lastStatsAt) / 1000 : 0;
    const totals = new Map();
    const delta = (key, value) => {
      totals.set(key, value);
      const before = state.statsTotals.get(key);
      return before === undefined ? 0 : Math.max(0, value - before);
    };
    for (const peer of state.peers.values()) {
      if (!peer.pc) continue;
      let report;
      try { report = await peer.pc.getStats(); } catch (e) { continue; }
      report.forEach((s) => {
        const k = peer.info.id + ':' + s.id;
        if (s.type === 'outbound-rtp') {
          sentBytes += delta(k + ':b', s.bytesSent || 0);
          sentPackets += delta(k + ':p', s.packetsSent || 0);
        } else if (s.type === 'remote-inbound-rtp') {
          lostSend += delta(k + ':l', Math.max(0, s.packetsLost || 0));
        } else if (s.type === 'inbound-rtp') {
          recvBytes += delta(k + ':b', s.bytesReceived || 0);
          recvPackets += delta(k + ':p', s.packetsReceived || 0);
          lostRecv += delta(k + ':l', Math.max(0, s.packetsLost || 0));
        }
      });
    }
    state.statsTotals = totals;
    state.lastStatsAt = now;
    if (!seconds) return;
    const pct = (lost, got) => (lost + got > 0 ? Math.min(100, (100 * lost) / (lost + got)) : 0);
    send({
      type: 'stats',
      packetLossSendPct: pct(lostSend, sentPackets),
      packetLossRecvPct: pct(lostRecv, recvPackets),
      bitrateSendBps: Math.round((sentBytes * 8) / seconds),
      bitrateRecvBps: Math.round((recvBytes * 8) / seconds),
    });
    state.samplesSent++;
  }

  // ------------------------------------------------------------ signaling
  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + config.signalingPath;
    ws = new WebSocket(url);
    ws.onopen = () => {
      const join = { type: 'join', room: config.roomName, displayName: ($('name-input').value || opts.displayName).trim() };
      if (opts.roomKey) join.roomKey = opts.roomKey;
      if (opts.externalId) join.externalId = opts.externalId;
      if (opts.metadata) join.metadata = opts.metadata.slice(0, 1000);
      join.deviceId = deviceId();
      const token = participantToken();
      if (token) join.participantToken = token;
      send(join);
      pingTimer = setInterval(() => send({ type: 'ping' }), 25000);
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      handle(msg).catch((e) => console.warn('signaling message failed', msg.type, e));
    };
    ws.onclose = (ev) => {
      clearInterval(pingTimer);
      // A dropped connection (not a leave, removal or end: those arrive as messages first, and a
      // policy close means the server refused us) is retried, keeping the participant id.
      if ((state.phase === 'room' || state.phase === 'reconnecting') && ev.code !== 1008 && reconnects < MAX_RECONNECTS) reconnect();
      else if (state.phase === 'room' || state.phase === 'reconnecting') showEnded('You left the room', 'The connection to the room was closed.');
      else if (state.phase === 'prejoin' || state.phase === 'knock' || state.phase === 'init') {
        showError('Cannot reach the room', 'The connection to the server failed or was closed. If Parlor is behind a proxy, it must pass WebSockets.');
        cleanup();
      }
    };
  }
  // The server's signed participant id for this room's meeting: a reload stays the same participant.
  function participantToken(value) {
    const key = 'parlor.participant:' + config.roomName;
    try {
      if (value) localStorage.setItem(key, value);
      return localStorage.getItem(key);
    } catch (e) { return null; }
  }
  const MAX_RECONNECTS = 6;
  let reconnects = 0;
  function reconnect() {
    reconnects++;
    clearInterval(statsTimer);
    for (const id of [...state.peers.keys()]) dropPeer(id);
    $('grid').textContent = '';
    state.phase = 'reconnecting'; // the room screen stays up meanwhile
    toast('Connection lost: reconnecting…');
    setTimeout(connect, Math.min(8000, 500 * 2 ** (reconnects - 1)));
  }
  function deviceId() {
    try {
      let id = localStorage.getItem('parlor.deviceId');
      if (!id) { id = crypto.randomUUID(); localStorage.setItem('parlor.deviceId', id); }
      return id;
    } catch (e) { return 'ephemeral'; }
  }
  const errors = {
    room_not_found: ['Room not found or ended', 'This room does not exist or its meeting has ended.'],
    room_full: ['The room is full', 'There is no space left in this room.'],
    invalid_key: ['Invalid room link', 'The room key in this link is not valid for this room, or has expired.'],
    meeting_ended: ['The meeting has ended', ''],
    invalid_external_id: ['Invalid link', 'externalId must be 1 to 36 letters, digits, "_" or "-".'],
  };
  async function handle(msg) {
    switch (msg.type) {
      case 'joined': return onJoined(msg);
      case 'participant_joined':
        ensurePeer(msg.participant, false);
        post('participant_join', { participant: msg.participant });
        return;
      case 'participant_left':
        dropPeer(msg.participantId);
        post('participant_leave', { participantId: msg.participantId });
        return;
      case 'participant_updated': {
        const peer = state.peers.get(msg.participant.id);
        if (peer) { peer.info = msg.participant; setTileInfo(peer.tile, peer.info, false); renderPeople(); }
        post('participantupdate', { participant: msg.participant });
        return;
      }
      case 'offer': return onOffer(msg);
      case 'answer': return onAnswer(msg);
      case 'candidate': return onCandidate(msg);
      case 'room_locked':
        state.locked = msg.locked;
        $('lock-indicator').hidden = !msg.locked;
        $('btn-lock').setAttribute('aria-pressed', String(msg.locked));
        $('btn-lock').textContent = msg.locked ? 'Unlock' : 'Lock';
        return;
      case 'knock_pending':
        $('knock-title').textContent = 'Waiting for a host';
        $('knock-text').textContent = 'A host has been asked to let you in.';
        $('knock-button').hidden = true;
        return;
      case 'knock_held':
        $('knock-message').textContent = msg.message || 'Please wait.';
        return;
      case 'knock_accepted':
        $('knock-title').textContent = 'A host let you in';
        if (typeof msg.roomKey === 'string') {
          // a reload keeps the visitor in without knocking again
          opts.roomKey = msg.roomKey;
          const u = new URL(location.href);
          u.searchParams.set('roomKey', msg.roomKey);
          history.replaceState(null, '', u.href);
        }
        return;
      case 'knock_rejected':
        showEnded('You were not let in', msg.message || 'A host declined your request.');
        return;
      case 'knock':
        state.knocks.set(msg.knockId, msg);
        renderKnocks();
        post('knock', { knockId: msg.knockId, displayName: msg.displayName });
        return;
      case 'knock_resolved':
        if (msg.outcome !== 'held') { state.knocks.delete(msg.knockId); renderKnocks(); }
        return;
      case 'knock_cancelled':
        state.knocks.delete(msg.knockId);
        renderKnocks();
        return;
      case 'chat': addChat(msg); return;
      case 'mute_request':
        if (state.audio) toggleMic();
        toast('A host asked you to mute your microphone.');
        return;
      case 'removed':
        post('leave', { reason: 'removed' });
        showEnded('You were removed from the room', '');
        return;
      case 'meeting_ended':
        post('leave', { reason: 'meeting_ended' });
        showEnded('The meeting has ended', 'A host ended the meeting for everyone.');
        return;
      case 'error': return onError(msg);
      default: return;
    }
  }
  function onError(msg) {
    if (msg.code === 'room_locked' && !msg.replyTo?.startsWith('knock')) {
      show('knock');
      if (opts.skipPrompt && embedded) { /* the parent may send the knock command */ }
      return;
    }
    const e = errors[msg.code];
    if (e && state.phase !== 'room') {
      showError(e[0], e[1]);
      cleanup();
      return;
    }
    if (state.phase === 'room') toast(msg.message || msg.code);
    else if (msg.code === 'invalid_message') showError('Cannot join', msg.message);
  }
  function onJoined(msg) {
    reconnects = 0;
    state.selfId = msg.selfId;
    state.role = msg.role;
    state.locked = msg.locked;
    state.iceServers = Array.isArray(msg.iceServers) ? msg.iceServers : [];
    document.body.dataset.role = msg.role;
    show('room');
    $('lock-indicator').hidden = !msg.locked;
    const host = msg.role === 'host';
    const viewer = msg.role === 'viewer';
    $('btn-lock').hidden = !host || !opts.locking;
    $('btn-lock').textContent = msg.locked ? 'Unlock' : 'Lock';
    $('btn-lock').setAttribute('aria-pressed', String(msg.locked));
    $('btn-end').hidden = !host;
    $('btn-mic').hidden = viewer;
    $('btn-cam').hidden = viewer;
    $('btn-screen').hidden = viewer || !opts.screenshare || !navigator.mediaDevices.getDisplayMedia;
    $('btn-chat').hidden = !opts.chat;
    $('btn-people').hidden = !opts.people && !host;
    $('btn-leave').hidden = !opts.leaveButton;
    if (!viewer) {
      const t = makeTile(msg.selfId, { displayName: $('name-input').value || opts.displayName, role: msg.role, audio: state.audio, video: state.video }, true);
      t.querySelector('video').srcObject = localStream;
    } else if (localStream) {
      localStream.getTracks().forEach((tr) => tr.stop());
      localStream = null;
    }
    for (const p of msg.participants || []) {
      if (viewer && p.role === 'viewer') { ensurePeer(p, false); continue; }
      const peer = ensurePeer(p, true);
      offer(peer).catch((e) => console.warn('offer failed', e));
    }
    for (const k of msg.knocks || []) state.knocks.set(k.knockId, k);
    renderKnocks();
    renderPeople();
    mediaState();
    statsTimer = setInterval(() => collectStats().catch(() => {}), 2000);
    if (msg.participantToken) participantToken(msg.participantToken);
    post('join', { selfId: msg.selfId, role: msg.role, roomName: msg.roomName });
  }

  // ------------------------------------------------------------ actions
  let knocked = false;
  function knock() {
    if (state.phase !== 'knock' || knocked) return;
    knocked = true;
    const m = { type: 'knock', displayName: ($('name-input').value || opts.displayName).trim() };
    const still = captureStill();
    if (still) m.image = still;
    send(m);
    $('knock-button').hidden = true;
  }
  function captureStill() {
    const v = $('preview');
    if (!localStream || !state.video || !v.videoWidth) return null;
    const c = document.createElement('canvas');
    c.width = 160;
    c.height = 120;
    c.getContext('2d').drawImage(v, 0, 0, c.width, c.height);
    try { return c.toDataURL('image/jpeg', 0.7); } catch (e) { return null; }
  }
  function leave() {
    if (!ws) return;
    send({ type: 'leave' });
    post('leave', { reason: 'left' });
    showEnded('You left the room', '');
  }
  function endMeeting() {
    if (state.role === 'host') send({ type: 'end_meeting' });
  }
  function cleanup() {
    clearInterval(statsTimer);
    clearInterval(pingTimer);
    for (const id of [...state.peers.keys()]) dropPeer(id);
    if (localStream) localStream.getTracks().forEach((t) => t.stop());
    if (state.screen) state.screen.stop();
    localStream = null;
    state.screen = null;
    const w = ws;
    ws = null;
    if (w && w.readyState <= WebSocket.OPEN) { w.onclose = null; w.close(); }
    $('grid').textContent = '';
  }

  // ------------------------------------------------------------ wiring
  $('pre-mic').addEventListener('click', () => toggleMic());
  $('pre-cam').addEventListener('click', () => toggleCamera());
  $('btn-mic').addEventListener('click', () => toggleMic());
  $('btn-cam').addEventListener('click', () => toggleCamera());
  $('btn-screen').addEventListener('click', () => toggleScreen());
  $('btn-chat').addEventListener('click', () => openPanel('chat'));
  $('btn-people').addEventListener('click', () => openPanel('people'));
  $('btn-lock').addEventListener('click', () => send({ type: 'lock', locked: !state.locked }));
  $('btn-end').addEventListener('click', () => endMeeting());
  $('btn-leave').addEventListener('click', () => leave());
  $('knock-button').addEventListener('click', () => knock());
  $('camera-select').addEventListener('change', () => acquireMedia());
  $('mic-select').addEventListener('change', () => acquireMedia());
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('chat-input').value.trim();
    if (text) send({ type: 'chat', text });
    $('chat-input').value = '';
  });
  $('join-button').addEventListener('click', () => {
    const name = $('name-input').value.trim();
    if (name.length > 100 || /[$!<>:;]/.test(name)) {
      $('prejoin-error').textContent = 'Names are at most 100 characters, without $ ! < > : ;';
      return;
    }
    $('join-button').disabled = true;
    connect();
  });

  window.parlor = {
    state: () => ({
      phase: state.phase, selfId: state.selfId, role: state.role, locked: state.locked,
      peers: [...state.peers.keys()], knocks: [...state.knocks.keys()], samplesSent: state.samplesSent,
      sending: !!localStream && state.role !== 'viewer',
      // tracks this page sends over all its peer connections (0 for a viewer)
      sendingTracks: [...state.peers.values()].reduce((n, p) => n + (p.pc ? p.pc.getSenders().filter((x) => x.track).length : 0), 0),
      receivingTracks: [...state.peers.values()].reduce((n, p) => n + p.stream.getTracks().length, 0),
    }),
  };

  async function start() {
    await applyTheme();
    if (opts.displayName.length > 100 || /[$!<>:;]/.test(opts.displayName)) {
      showError('Invalid display name', 'displayName must be at most 100 characters, without $ ! < > : ;');
      return;
    }
    if (opts.externalId !== null && !/^[A-Za-z0-9_-]{1,36}$/.test(opts.externalId)) {
      showError('Invalid link', 'externalId must be 1 to 36 letters, digits, "_" or "-".');
      return;
    }
    $('name-input').value = opts.displayName;
    post('ready', { roomName: config.roomName });
    if (viewerHint) { connect(); return; }
    await acquireMedia();
    if (opts.skipPrompt) { connect(); return; }
    show('prejoin');
    $('name-input').focus();
  }
  start();
})();
