// Getting the camera and the microphone: one getUserMedia for both (one permission prompt),
// and when that fails, each alone, so a missing camera still leaves the microphone (and the
// other way round). The chosen devices are asked for as `ideal`, so a device that went away
// falls back to the default instead of failing.
import { describeMediaError, type MediaWanted } from './callWords';

export type MediaDevicesLike = Pick<MediaDevices, 'getUserMedia' | 'getDisplayMedia' | 'enumerateDevices'>;

export function deviceConstraint(deviceId: string | null): MediaTrackConstraints | true {
  return deviceId ? { deviceId: { ideal: deviceId } } : true;
}

export interface CaptureRequest {
  /** The microphone wanted (its device), or false. */
  microphone: MediaTrackConstraints | true | false;
  camera: MediaTrackConstraints | true | false;
}

export interface CapturedMedia {
  tracks: MediaStreamTrack[];
  /** What went wrong, in words, when something asked for did not come. */
  problem: string | null;
}

function wantedWords(request: CaptureRequest): MediaWanted {
  if (request.microphone && request.camera) return 'camera and microphone';
  return request.camera ? 'camera' : 'microphone';
}

export async function captureCameraAndMicrophone(
  devices: MediaDevicesLike,
  request: CaptureRequest,
): Promise<CapturedMedia> {
  if (!request.microphone && !request.camera) return { tracks: [], problem: null };
  try {
    const stream = await devices.getUserMedia({ audio: request.microphone, video: request.camera });
    return { tracks: stream.getTracks(), problem: null };
  } catch (error) {
    const both = request.microphone && request.camera;
    const blocked = error instanceof DOMException && error.name === 'NotAllowedError';
    if (!both || blocked) return { tracks: [], problem: describeMediaError(error, wantedWords(request)) };
  }
  // Both failed together: try each alone, and say which one is missing.
  const microphone = await captureCameraAndMicrophone(devices, { microphone: request.microphone, camera: false });
  const camera = await captureCameraAndMicrophone(devices, { microphone: false, camera: request.camera });
  return {
    tracks: [...microphone.tracks, ...camera.tracks],
    problem: microphone.problem ?? camera.problem,
  };
}
