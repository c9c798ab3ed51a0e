'use client';
import { createContext, useContext } from 'react';

/** Where the browser reaches the engine (Socket.IO); read per request by the root layout. */
export const EngineUrlContext = createContext('');
export const useEngineUrl = () => useContext(EngineUrlContext);
